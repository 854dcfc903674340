/** True when `CI` says this is a CI run (`CI=true`, or `1`, as CI services set it). */
export const inCi = (): boolean => /^(true|1)$/i.test(process.env.CI ?? '');

/**
 * Whether a suite's service (Postgres, Chromium…) is there. Missing in CI, it throws: the suite fails
 * to load, saying what to start, because a suite skipped in CI would hide that it never ran.
 * Missing elsewhere, it warns and says false, so a machine without it still runs the rest.
 */
export function requireService(available: boolean, missing: string): boolean {
  if (available) return true;
  if (inCi()) throw new Error(`${missing} (CI=true: a missing service fails the run instead of skipping its tests).`);
  console.warn(`Skipping: ${missing}`);
  return false;
}
