// A worker thread starts without the tsx loader that `bin/opsbot.js` (or jest) gave the
// main thread, and on Node 20 `execArgv: ['--import', tsx]` does not reach the worker's
// own entry (it fails with ERR_UNKNOWN_FILE_EXTENSION); so each worker registers tsx
// itself, then loads the TypeScript entry named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
