/** One dependency the bot needs to do its work; `probe` rejects with the reason it cannot be used. */
export interface ReadinessCheck {
  name: string;
  probe(): Promise<void>;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed, when it did. */
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  /** Names of the checks that failed, for a quick read. */
  failing: string[];
  checks: CheckResult[];
}

/**
 * Runs every check at once, each bounded by `timeoutMs`: a dependency that hangs (a Redis
 * client queueing commands while it reconnects, a Postgres host dropping packets) fails its
 * check instead of holding the probe past the orchestrator's own timeout.
 */
export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((check) => runCheck(check, timeoutMs)));
  const failing = results.filter((result) => !result.ok).map((result) => result.name);
  return { ready: failing.length === 0, failing, checks: results };
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check.probe(), timeout]);
    return { name: check.name, ok: true };
  } catch (error) {
    return { name: check.name, ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
