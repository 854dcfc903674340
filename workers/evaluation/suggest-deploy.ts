/**
 * The environment to promote a version to next, given the configured environments in
 * promotion order (dev → staging → prod) and those it already runs in: the one after
 * the highest it runs in, or the last stop before the top one when it runs nowhere.
 */
export function nextEnvironment(environments: readonly string[], runsIn: readonly string[]): string | undefined {
  const highest = Math.max(-1, ...runsIn.map((env) => environments.indexOf(env)));
  if (highest >= 0) return environments[highest + 1];
  return environments[Math.max(0, environments.length - 2)];
}
