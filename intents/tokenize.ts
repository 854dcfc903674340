import { InvalidCommandError } from '../core/index.js';
import { charPosition } from './message-text.js';

/** One word of a command. Quoted text ("a b" or 'a b') is one token. */
export interface Token {
  /** The word with its quotes removed. */
  readonly text: string;
  readonly lower: string;
  /** True when any part was quoted: quoted text is always a value, never a keyword or option. */
  readonly quoted: boolean;
  /** How many characters at the start were not inside quotes: `--user="a b"` has 7. */
  readonly plain: number;
  /** Index of the first "=" outside quotes (key=value), or -1. */
  readonly eq: number;
}

/** Spaces, tabs and the no-break and typographic spaces chat clients insert. */
export function isSpace(code: number): boolean {
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    code === 0xa0 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** The closing quote for an opening one, or -1; curly quotes because chat clients "smarten" them. */
function closingQuote(code: number): number {
  switch (code) {
    case 0x22: // "
    case 0x27: // '
      return code;
    case 0x201c: // “ … ”
      return 0x201d;
    case 0x2018: // ‘ … ’
      return 0x2019;
    default:
      return -1;
  }
}

const TRAILING_COMMA = /,+$/;
/** Chat clients turn "..." into an ellipsis (…). */
const TRAILING_SENTENCE_END = /[.!?,\u2026]+$/;

/**
 * Splits a command into words. A quote opens only at the start of a word or right
 * after "=", so apostrophes inside words (don't) stay literal.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let lastTailPlain = false;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let value = '';
    let segment = i;
    let plain = -1;
    let eq = -1;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (isSpace(code)) break;
      const close = closingQuote(code);
      if (close !== -1 && (i === start || text.charCodeAt(i - 1) === 0x3d)) {
        value += text.slice(segment, i);
        if (plain === -1) plain = value.length;
        const end = text.indexOf(String.fromCharCode(close), i + 1);
        if (end === -1) {
          throw new InvalidCommandError(
            `the quote ${text[i]} at position ${charPosition(text, i)} is never closed — add the closing ${String.fromCharCode(close)}`,
          );
        }
        value += text.slice(i + 1, end);
        i = end + 1;
        segment = i;
        continue;
      }
      if (code === 0x3d && eq === -1 && plain === -1) eq = value.length + (i - segment);
      i++;
    }
    const tailPlain = i > segment;
    value += text.slice(segment, i);
    // A comma after a word ("data/x.csv, 5 epochs") is punctuation: no value may contain one.
    if (tailPlain && value.length > 1) value = value.replace(TRAILING_COMMA, '') || value;
    tokens.push(makeToken(value, plain !== -1, plain === -1 ? value.length : plain, eq));
    lastTailPlain = tailPlain;
  }
  return stripSentenceEnd(tokens, lastTailPlain);
}

/** "deploy sentiment to prod." — the full stop ends the sentence; it is not part of the environment. */
function stripSentenceEnd(tokens: Token[], tailPlain: boolean): Token[] {
  const last = tokens[tokens.length - 1];
  if (!last || !tailPlain || last.text.length < 2) return tokens;
  const text = last.text.replace(TRAILING_SENTENCE_END, '');
  if (text === last.text || text === '') return tokens;
  tokens[tokens.length - 1] = makeToken(text, last.quoted, Math.min(last.plain, text.length), last.eq < text.length ? last.eq : -1);
  return tokens;
}

function makeToken(text: string, quoted: boolean, plain: number, eq: number): Token {
  return { text, lower: text.toLowerCase(), quoted, plain, eq };
}
