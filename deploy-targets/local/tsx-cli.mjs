// Run from source (ts-jest, bench under tsx), the opsbot CLI is TypeScript, which plain node cannot
// load; so this registers tsx, takes its first argument (the CLI's file URL) off argv, so the CLI
// sees only its own arguments, and imports it. The compiled build runs dist/app/cli.js directly.
import { register } from 'tsx/esm/api';

register();
const [entry] = process.argv.splice(2, 1);
await import(entry);
