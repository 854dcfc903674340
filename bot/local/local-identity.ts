import { userInfo } from 'node:os';
import type { Identity } from '../../core/index.js';

/** The terminal user: the OS user, or the name given with `--user` to try RBAC as someone else. */
export function localIdentity(user?: string): Identity {
  const name = user ?? safeUsername();
  return { platform: 'local', workspace: '', userId: name, displayName: name };
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'local-user';
  }
}
