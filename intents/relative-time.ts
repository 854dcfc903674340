import { InvalidInputError } from '../core/index.js';
import { quoteWord } from './message-text.js';

const MINUTE = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = { m: MINUTE, h: 60 * MINUTE, d: 1440 * MINUTE, w: 10080 * MINUTE };

/** 30m, 24h, 7d, 2w (also "24hours", "7days"). */
const DURATION = /^(\d{1,9})(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/;

/** 2026-01-31, 2026-01-31T10:00, 2026-01-31T10:00:00.000Z, 2026-01-31T10:00+02:00 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:t(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(z|[+-]\d{2}:?\d{2})?)?$/;

/** Latest instant toISOString writes as a plain four-digit year, which the audit schema accepts. */
const MAX_ISO_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The instant a `since` value means, as an ISO datetime: a duration counts back from `now`,
 * a date or datetime is taken as written (UTC when it has no offset, so the server's zone never matters).
 * Undefined when the text is neither.
 */
export function parseSince(text: string, now: number): string | undefined {
  const lower = text.toLowerCase();
  const duration = DURATION.exec(lower);
  const ms = duration ? now - Number(duration[1]) * (UNIT_MS[duration[2]!.charAt(0)] ?? 0) : parseIsoDate(lower);
  if (ms === undefined || !(ms >= 0 && ms <= MAX_ISO_MS)) return undefined;
  return new Date(ms).toISOString();
}

function parseIsoDate(text: string): number | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number, number, number, number, number, number,
  ];
  // Date.UTC would roll 2026-02-30 over into March; a date that does not exist is a typo.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // Years before 1970 are typos here (and Date.UTC would read 0075 as 1975).
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes(m[8]) * MINUTE;
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return zone.startsWith('-') ? -minutes : minutes;
}

/**
 * `parseSince`, or an InvalidInputError saying how to write the time: the one reading of `--since`
 * for chat (`audit --since 24h`) and the command line (`opsbot audit --since 24h`).
 */
export function readSince(text: string, now: number): string {
  const since = parseSince(text, now);
  if (since === undefined) {
    throw new InvalidInputError(`I could not read the time ${quoteWord(text)}: use a duration such as 30m, 24h or 7d, or a date such as 2026-01-31`);
  }
  return since;
}
