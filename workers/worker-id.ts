import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** Names a worker in job messages and the audit log: host, pid and a short random suffix. */
export function newWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 4)}`;
}
