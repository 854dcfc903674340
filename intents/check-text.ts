import { InvalidCommandError } from '../core/index.js';
import { charPosition } from './message-text.js';

/** The default longest command, matching the config's default `maxMessageLength`. */
export const MAX_COMMAND_LENGTH = 4000;

export const EMPTY_COMMAND_MESSAGE = 'empty command — type `help` to see what I can do';

/**
 * Rejects text no command can be made of, before any tokenizing: the length check
 * comes first so that a pasted 100 KB blob costs one comparison.
 */
export function checkText(text: string, maxLength: number): void {
  if (text.length > maxLength) {
    throw new InvalidCommandError(
      `the command is ${text.length} characters long; the limit is ${maxLength} — send a shorter command`,
    );
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // C0 controls but tab, DEL and C1 controls: invisible, and a sign of binary or pasted terminal output.
    if ((code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f)) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      const position = charPosition(text, i);
      throw new InvalidCommandError(
        `the command contains the control character U+${hex} at position ${position}; remove it and send the command again`,
      );
    }
  }
}
