// Header mapping shared by the CSV importers: column names compared without case, spaces,
// underscores or hyphens ("Adj Close" = "adj_close" = "adjclose").

/** A file whose header lacks a required column: the whole file is refused. */
export class HeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HeaderError";
  }
}

/** The comparison form of a column name. */
export function headerKey(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/g, "");
}

/** Index of the first of `names` (in order of preference) present in the header, or null. */
export function findColumn(header: string[], names: readonly string[]): number | null {
  const keys = header.map(headerKey);
  for (const name of names) {
    const index = keys.indexOf(headerKey(name));
    if (index !== -1) return index;
  }
  return null;
}

/** "a, b or c" */
export function alternatives(names: readonly string[]): string {
  return names.length === 1
    ? names[0]
    : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** The header as the file spells it, for error messages. */
export function shownHeader(header: string[]): string {
  return header.length ? header.map((name) => JSON.stringify(name)).join(", ") : "(empty)";
}
