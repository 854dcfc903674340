/** First step of `npm run train:intents`: writes intents/nl/english-near-cues.ts from the cue words (see english-near-cues.ts). */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { englishNearCues, englishNearCuesModule } from './english-near-cues.js';

const words = englishNearCues();
const path = fileURLToPath(new URL('../nl/english-near-cues.ts', import.meta.url));
await writeFile(path, englishNearCuesModule(words));
process.stdout.write(`wrote ${path}: ${words.length} English words near cue words\n`);
