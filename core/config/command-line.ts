/** Characters a shell would give meaning to; a trainer command runs without a shell, so bare ones are refused. */
const SHELL_CHARACTERS = new Set(['|', '&', ';', '<', '>', '$', '`']);

/**
 * Splits a command line into argv words the way a POSIX shell splits words — spaces
 * separate, '…' is literal, "…" groups (\" and \\ escape), \ escapes one character —
 * and nothing more: no variables, globs, pipes or redirections. Throws an Error that
 * says what is wrong.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`a ' quote at character ${i + 1} is never closed`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word = word ?? '';
      for (i++; ; i++) {
        if (i >= line.length) throw new Error('a " quote is never closed');
        const d = line[i] as string;
        if (d === '"') break;
        if (d === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i] as string;
        else word += d;
      }
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error('the command ends with a lone backslash');
      word = (word ?? '') + (line[++i] as string);
    } else if (SHELL_CHARACTERS.has(c)) {
      throw new Error(
        `unquoted "${c}" at character ${i + 1}: the command runs without a shell, so pipes, redirections, variables and substitutions do not work; quote it to pass it literally`,
      );
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  if (words.length === 0) throw new Error('the command is empty');
  return words;
}
