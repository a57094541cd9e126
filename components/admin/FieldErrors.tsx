/** A field's validation problems, as a list its input names in aria-describedby. */
export function FieldErrors({ id, messages }: { id: string; messages?: readonly string[] }) {
  if (!messages?.length) return null;
  return (
    <ul class="field-errors" id={id}>
      {messages.map((message) => <li key={message}>{message}</li>)}
    </ul>
  );
}
