import type { ChildProcess } from 'node:child_process';

/** Signals a detached child's whole process group (its data loaders and other helpers too). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group has already exited.
  }
}

/** SIGTERM to the group, then SIGKILL if the child has not exited after the grace period. */
export function stopGroup(child: ChildProcess, exited: Promise<unknown>, graceMs: number): void {
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  void exited.finally(() => clearTimeout(timer));
}
