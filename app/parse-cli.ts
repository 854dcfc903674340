import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { actionLimitsFrom, type OpsbotConfig } from '../core/index.js';
import { createUnderstander, formatUnderstanding, type LlmInterpreter } from '../intents/index.js';
import { databasePath, openStateStore } from './open-state-store.js';

/** The models `parse` checks names against: `--models`, else those in the registry (if there is one yet). */
async function knownModels(config: OpsbotConfig, models: string | undefined): Promise<string[]> {
  if (models !== undefined) return models.split(',').map((m) => m.trim()).filter(Boolean);
  if (!config.databaseUrl && !existsSync(databasePath(config))) return [];
  const store = await openStateStore(config);
  try {
    return await store.registry.listModels();
  } finally {
    await store.close();
  }
}

/**
 * `opsbot parse`: one utterance per input line in, exactly one JSON object per line out.
 * Commands go through the grammar exactly as before; other sentences through the intent
 * model and slot reader (and the LLM, when one is passed in).
 */
export async function runParseCli(
  config: OpsbotConfig,
  options: { models?: string; input: Readable; output: Writable; llm?: LlmInterpreter },
): Promise<void> {
  const understander = createUnderstander({
    limits: actionLimitsFrom(config),
    environments: config.environments,
    knownModels: await knownModels(config, options.models),
    ...(options.llm ? { llm: options.llm } : {}),
  });
  const lines = createInterface({ input: options.input, crlfDelay: Infinity });
  for await (const line of lines) options.output.write(`${formatUnderstanding(await understander.understand(line))}\n`);
}
