// Run from source (ts-jest, bench under tsx), the training process's entry is TypeScript, which
// plain node cannot load; so this registers tsx, then loads the entry named by its first argument
// (a file URL). The compiled build forks its .js entry directly (see child-entry.ts).
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
