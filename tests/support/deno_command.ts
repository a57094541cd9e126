// Runs the deno binary that runs the tests, as a user would from a shell.

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno <args>` to completion with piped output. */
export async function runDeno(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    ...options,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
