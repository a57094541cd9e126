// Runs the deno binary that runs the tests, as a user would from a shell.

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno <args>` to completion with piped output (and `stdin` piped in, when given). */
export async function runDeno(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {},
): Promise<CommandResult> {
  const { stdin, ...rest } = options;
  const child = new Deno.Command(Deno.execPath(), {
    args,
    ...rest,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
