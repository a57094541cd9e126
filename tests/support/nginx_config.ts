// A small reader of nginx configuration files, enough to assert on infrastructure/nginx.conf:
// directives with their arguments, blocks, comments, quoted strings and ${variables}. It checks
// the syntax (braces, semicolons, quotes), not what nginx would make of the directives.

export interface Directive {
  name: string;
  args: string[];
  /** The directives inside `{ … }`; undefined for a simple directive ending in `;`. */
  block?: Directive[];
  /** 1-based line of the directive's name. */
  line: number;
}

export class NginxSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
    this.name = "NginxSyntaxError";
  }
}

type Token =
  | { kind: "word"; text: string; line: number }
  | { kind: "{" | "}" | ";"; line: number };

const SPECIAL = new Set(["{", "}", ";"]);

/** Splits a configuration into words (quotes removed, escapes resolved) and `{`, `}`, `;`. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (char === "\n") {
      line++;
      i++;
    } else if (/\s/.test(char)) {
      i++;
    } else if (char === "#") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (SPECIAL.has(char)) {
      tokens.push({ kind: char as "{" | "}" | ";", line });
      i++;
    } else if (char === '"' || char === "'") {
      const start = line;
      let text = "";
      i++;
      while (source[i] !== char) {
        if (i >= source.length) throw new NginxSyntaxError(`unterminated ${char} string`, start);
        if (source[i] === "\\" && i + 1 < source.length) {
          i++;
          text += source[i] === "n" ? "\n" : source[i] === "t" ? "\t" : source[i];
        } else text += source[i];
        if (source[i] === "\n") line++;
        i++;
      }
      i++;
      tokens.push({ kind: "word", text, line: start });
    } else {
      let text = "";
      while (i < source.length && !/\s/.test(source[i]) && !SPECIAL.has(source[i])) {
        // `${name}` belongs to the word: its braces are not a block.
        if (source[i] === "$" && source[i + 1] === "{") {
          const end = source.indexOf("}", i);
          if (end === -1) throw new NginxSyntaxError("unterminated ${…}", line);
          text += source.slice(i, end + 1);
          i = end + 1;
        } else if (source[i] === "\\" && i + 1 < source.length) {
          text += source[i + 1];
          i += 2;
        } else {
          text += source[i];
          i++;
        }
      }
      tokens.push({ kind: "word", text, line });
    }
  }
  return tokens;
}

/** Parses a whole configuration file into its top-level directives. */
export function parseNginxConfig(source: string): Directive[] {
  const tokens = tokenize(source);
  let position = 0;

  const parseList = (closing: boolean, openedAt: number): Directive[] => {
    const directives: Directive[] = [];
    while (position < tokens.length) {
      const token = tokens[position];
      if (token.kind === "}") {
        if (!closing) throw new NginxSyntaxError("unexpected }", token.line);
        position++;
        return directives;
      }
      if (token.kind !== "word") {
        throw new NginxSyntaxError(
          `unexpected ${token.kind} where a directive name belongs`,
          token.line,
        );
      }
      position++;
      const args: string[] = [];
      while (true) {
        const next = tokens[position];
        if (!next) throw new NginxSyntaxError(`${token.text}: missing ; or {`, token.line);
        position++;
        if (next.kind === "word") args.push(next.text);
        else if (next.kind === ";") {
          directives.push({ name: token.text, args, line: token.line });
          break;
        } else if (next.kind === "{") {
          directives.push({
            name: token.text,
            args,
            block: parseList(true, next.line),
            line: token.line,
          });
          break;
        } else throw new NginxSyntaxError(`${token.text}: unexpected }, missing ;`, next.line);
      }
    }
    if (closing) throw new NginxSyntaxError("block is never closed", openedAt);
    return directives;
  };

  return parseList(false, 1);
}

/** The directives called `name` directly inside `directives` (not in nested blocks). */
export function children(directives: readonly Directive[], name: string): Directive[] {
  return directives.filter((directive) => directive.name === name);
}

/** The one directive called `name` directly inside `directives`; throws when absent or repeated. */
export function child(directives: readonly Directive[], name: string): Directive {
  const found = children(directives, name);
  if (found.length !== 1) {
    throw new Error(`expected one ${name} directive, found ${found.length}`);
  }
  return found[0];
}

/** Every directive called `name` at any depth, outermost first. */
export function descendants(directives: readonly Directive[], name: string): Directive[] {
  return directives.flatMap((directive) => [
    ...(directive.name === name ? [directive] : []),
    ...descendants(directive.block ?? [], name),
  ]);
}
