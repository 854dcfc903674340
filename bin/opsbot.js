#!/usr/bin/env node
// opsbot runs as compiled JavaScript: `npm install` (prepare) and `npm start` (prestart) build dist/.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/app/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('opsbot: not built yet (dist/app/cli.js is missing): run `npm run build` in the opsbot folder.\n');
  process.exit(1);
}
await import(cli.href);
