// Temporary directories for tests, removed again by `await using`.

export interface TempDir extends AsyncDisposable {
  readonly path: string;
}

/** A fresh temporary directory, removed (recursively) when disposed: `await using dir = await tempDir("craveny-x-")`. */
export async function tempDir(prefix: string): Promise<TempDir> {
  const path = await Deno.makeTempDir({ prefix });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}
