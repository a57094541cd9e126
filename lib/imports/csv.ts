// A streaming RFC 4180 CSV parser: quoted fields with delimiters, doubled quotes and line breaks
// inside, CRLF or LF (or a lone CR) line ends, a UTF-8 BOM. It holds one record at a time, never
// the file. Lenient where RFC 4180 leaves files broken in practice: a quote inside an unquoted
// field and text after a closing quote are kept literally; blank lines are skipped.

/** One record and the physical line (1-based) it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A file that is not CSV: an unterminated quote or an absurdly long field. */
export class CsvError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "CsvError";
  }
}

export interface CsvOptions {
  /** Default ",". */
  delimiter?: string;
  /** A field longer than this is an error (a stray quote would otherwise swallow the file). */
  maxFieldLength?: number;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  /** At the start of a field. */
  Start,
  /** Inside an unquoted field. */
  Plain,
  /** Inside a quoted field. */
  Quoted,
  /** Just after a quote inside a quoted field: an escaped quote or the field's end. */
  QuoteInQuoted,
  /** Just after a CR that ended a record: a following LF belongs to it. */
  AfterCr,
}

/** The parser's state machine, fed text in chunks of any size (split anywhere). */
export class CsvParser {
  readonly #delimiter: number;
  readonly #maxFieldLength: number;
  #state = State.Start;
  /** Physical line of the next character. */
  #line = 1;
  #recordLine = 1;
  /** Line of the opening quote of the quoted field being read (for errors). */
  #quoteLine = 1;
  #inRecord = false;
  #fields: string[] = [];
  #field = "";
  #first = true;

  constructor(options: CsvOptions = {}) {
    const delimiter = options.delimiter ?? ",";
    if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
      throw new RangeError(`CSV delimiter must be one character other than a quote or line break`);
    }
    this.#delimiter = delimiter.charCodeAt(0);
    this.#maxFieldLength = options.maxFieldLength ?? 1_048_576;
  }

  /** Parses `text` (the next piece of the file); returns the records it completed. */
  push(text: string): CsvRecord[] {
    if (this.#first && text.length) {
      this.#first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const records: CsvRecord[] = [];
    const delimiter = this.#delimiter;
    // Start of the current field's text within `text`, copied out in one slice.
    let from = 0;
    let i = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      switch (this.#state) {
        case State.AfterCr:
          this.#state = State.Start;
          this.#line++;
          if (c === LF) {
            i++;
            continue;
          }
          continue; // a lone CR: the character starts the next record
        case State.Start:
          if (c === CR || c === LF) {
            // A line break right after a delimiter ends the record; on its own, a blank line.
            if (this.#inRecord) {
              this.#endField("");
              records.push(this.#endRecord());
            }
            this.#lineBreak(c);
          } else {
            if (!this.#inRecord) {
              this.#inRecord = true;
              this.#recordLine = this.#line;
            }
            if (c === delimiter) this.#endField("");
            else if (c === QUOTE) {
              this.#state = State.Quoted;
              this.#quoteLine = this.#line;
              from = i + 1;
            } else {
              this.#state = State.Plain;
              from = i;
            }
          }
          break;
        case State.Plain:
          if (c === delimiter) {
            this.#endField(text.slice(from, i));
            this.#state = State.Start;
          } else if (c === CR || c === LF) {
            this.#endField(text.slice(from, i));
            records.push(this.#endRecord());
            this.#lineBreak(c);
          }
          break;
        case State.Quoted:
          if (c === QUOTE) {
            this.#append(text.slice(from, i));
            this.#state = State.QuoteInQuoted;
          } else if (c === LF) this.#line++;
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            // A doubled quote is one literal quote; the field goes on.
            this.#state = State.Quoted;
            from = i;
          } else if (c === delimiter) {
            this.#endField("");
            this.#state = State.Start;
          } else if (c === CR || c === LF) {
            this.#endField("");
            records.push(this.#endRecord());
            this.#lineBreak(c);
          } else {
            // `"abc"def`: keep the stray text rather than lose the row.
            this.#state = State.Plain;
            from = i;
          }
          break;
      }
      i++;
    }
    if (this.#state === State.Plain || this.#state === State.Quoted) {
      this.#append(text.slice(from));
    }
    return records;
  }

  /** Ends the input: returns the last record (a file need not end with a line break). */
  end(): CsvRecord[] {
    switch (this.#state) {
      case State.Quoted:
        throw new CsvError(this.#quoteLine, "quoted field is never closed");
      case State.Plain:
      case State.QuoteInQuoted:
        this.#endField("");
        return [this.#endRecord()];
      case State.Start:
        if (!this.#inRecord) return [];
        this.#endField("");
        return [this.#endRecord()];
      case State.AfterCr:
        return [];
    }
  }

  /** After a record: LF moves to the next line; CR waits to see whether an LF follows. */
  #lineBreak(c: number): void {
    if (c === CR) {
      this.#state = State.AfterCr;
    } else {
      this.#line++;
      this.#state = State.Start;
    }
  }

  #append(text: string): void {
    this.#field += text;
    if (this.#field.length > this.#maxFieldLength) {
      throw new CsvError(
        this.#recordLine,
        `field longer than ${this.#maxFieldLength} characters (a quote left open?)`,
      );
    }
  }

  #endField(text: string): void {
    this.#append(text);
    this.#fields.push(this.#field);
    this.#field = "";
  }

  #endRecord(): CsvRecord {
    const record = { line: this.#recordLine, fields: this.#fields };
    this.#fields = [];
    this.#inRecord = false;
    return record;
  }
}

/** Parses a UTF-8 byte stream (invalid bytes become U+FFFD) record by record. */
export async function* parseCsv(
  stream: ReadableStream<Uint8Array>,
  options: CsvOptions = {},
): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(options);
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of stream) {
    yield* parser.push(decoder.decode(chunk, { stream: true }));
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
