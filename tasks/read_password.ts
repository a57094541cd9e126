// Passwords for `deno task user`: typed at a terminal without echo, or piped in by a script.

/** All of stdin, without the one line break that ends it (`echo "$PASSWORD" | …`). */
export async function readPipedPassword(): Promise<string> {
  const text = new TextDecoder().decode(await new Response(Deno.stdin.readable).arrayBuffer());
  return text.replace(/\r?\n$/, "");
}

const ENTER = new Set([0x0a, 0x0d]);
const BACKSPACE = new Set([0x08, 0x7f]);
const INTERRUPT = new Set([0x03, 0x04]); // Ctrl-C, Ctrl-D

/** Drops the last UTF-8 character (a lead byte and its continuation bytes). */
function dropLastCharacter(bytes: number[]): void {
  while (bytes.length > 0 && (bytes[bytes.length - 1] & 0xc0) === 0x80) bytes.pop();
  bytes.pop();
}

/** Reads one line typed at the terminal with echo off (raw mode, restored afterwards). */
export async function promptHidden(prompt: string): Promise<string> {
  const encoder = new TextEncoder();
  await Deno.stdout.write(encoder.encode(prompt));
  const typed: number[] = [];
  const buffer = new Uint8Array(64);
  Deno.stdin.setRaw(true);
  try {
    reading: while (true) {
      const count = await Deno.stdin.read(buffer);
      if (count === null) break;
      for (const byte of buffer.subarray(0, count)) {
        if (ENTER.has(byte)) break reading;
        if (INTERRUPT.has(byte)) throw new Error("cancelled");
        if (BACKSPACE.has(byte)) dropLastCharacter(typed);
        else typed.push(byte);
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
    await Deno.stdout.write(encoder.encode("\n"));
  }
  return new TextDecoder().decode(new Uint8Array(typed));
}
