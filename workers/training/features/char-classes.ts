/** What a UTF-16 code unit is to the tokenizer. */
export const SEPARATOR = 0;
/** Letters and digits: they make up words. */
export const WORD_CHAR = 1;
/** Symbols that carry meaning on their own (prices, shouting): each is a one-character word. */
export const SYMBOL_CHAR = 2;

const SYMBOLS = '$€£%!?';
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * The class of every code unit, computed once (~15 ms): a table lookup per character
 * is several times faster than a Unicode regex, and featurisation is the inference
 * hot path. Surrogate halves are separators (emoji and rare scripts outside the BMP
 * are not words).
 */
export const CHAR_CLASSES: Uint8Array = (() => {
  const classes = new Uint8Array(65536);
  for (let code = 0; code < 65536; code++) if (LETTER_OR_DIGIT.test(String.fromCharCode(code))) classes[code] = WORD_CHAR;
  for (const symbol of SYMBOLS) classes[symbol.charCodeAt(0)] = SYMBOL_CHAR;
  return classes;
})();
