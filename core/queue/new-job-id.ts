import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Short ids people can type in `status` and `cancel`: `j-` and 8 base-36 characters (~41 bits). */
export function newJobId(): string {
  let id = 'j-';
  for (let i = 0; i < 8; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
