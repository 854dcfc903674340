import { fileURLToPath } from 'node:url';

/** How to fork a module: the file node runs, and the arguments that go before the caller's own. */
export interface ChildEntry {
  file: string;
  args: string[];
}

/**
 * `name`'s module next to `base` (an `import.meta.url`), in the form `base` itself runs as:
 * `.js` when compiled (dist/, what `opsbot` runs), `.ts` from source (ts-jest, tsx in bench).
 */
export function siblingModule(base: string, name: string): URL {
  return new URL(`${name}${new URL(base).pathname.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

/**
 * How to fork `entry`. JavaScript runs as it is. Plain node cannot load TypeScript, so a `.ts`
 * entry (source runs only: tests and bench) goes through tsx-child.mjs, which registers tsx
 * and then imports it; tsx is never on the compiled path.
 */
export function childEntry(entry: URL): ChildEntry {
  if (!entry.pathname.endsWith('.ts')) return { file: fileURLToPath(entry), args: [] };
  return { file: fileURLToPath(new URL('./tsx-child.mjs', import.meta.url)), args: [entry.href] };
}
