// CSV for downloads (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a
// quote, comma or line break). The files are opened in spreadsheets, so text that a spreadsheet
// would run as a formula is defused (OWASP "CSV injection").
export type CsvCell = string | number | boolean | Date | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;
/** Leading characters that make Excel, LibreOffice or Google Sheets evaluate a cell. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field. Text starting like a formula gets a leading `'` (shown as text, not evaluated);
 * numbers are never prefixed, so -0.05 stays a number. Dates are ISO 8601; null is empty.
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== "string") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(",")}\r\n`;
}

/**
 * A UTF-8 CSV body: the header, then each batch of records as one chunk, pulled only as fast as
 * the client reads (a large export never sits in memory whole).
 */
export function csvStream(
  header: readonly string[],
  batches: AsyncIterable<readonly (readonly CsvCell[])[]>,
): ReadableStream<Uint8Array> {
  async function* text() {
    yield csvRecord(header);
    for await (const batch of batches) yield batch.map(csvRecord).join("");
  }
  return ReadableStream.from(text()).pipeThrough(new TextEncoderStream());
}
