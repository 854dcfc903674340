import { z } from 'zod';
import { splitCommandLine } from './command-line.js';

/** What a trainer command may name; each is replaced inside the one argument it appears in. */
export const TRAINER_PLACEHOLDERS = ['dataset', 'epochs', 'artifact', 'gpus'] as const;
export type TrainerPlaceholder = (typeof TRAINER_PLACEHOLDERS)[number];

/** `{name}` in a trainer command; other braces (JSON, say) are left alone. */
export const PLACEHOLDER_PATTERN = /\{([a-z_]+)\}/g;

/** What is wrong with a trainer command template, if anything. */
export function trainerCommandProblems(command: string): string[] {
  let words: string[];
  try {
    words = splitCommandLine(command);
  } catch (error) {
    return [`trainer command: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  if ((words[0] as string).match(PLACEHOLDER_PATTERN)) {
    problems.push('trainer command: the program (first word) must be fixed, not a placeholder');
  }
  for (const word of words) {
    for (const [, name] of word.matchAll(PLACEHOLDER_PATTERN)) {
      if (!(TRAINER_PLACEHOLDERS as readonly string[]).includes(name as string)) {
        problems.push(`trainer command: unknown placeholder {${name}}; use ${TRAINER_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
      }
    }
  }
  return problems;
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and "_"');
const CUDA_VISIBLE_DEVICES_IS_OPSBOTS = 'CUDA_VISIBLE_DEVICES is set by opsbot to the GPUs it reserved for the job';

/**
 * A model trained by its own program instead of the built-in trainer (see
 * workers/external/PROTOCOL.md): run without a shell, one argv word per template word.
 */
export const externalTrainerSchema = z.object({
  /** e.g. `python train.py --data {dataset} --epochs {epochs} --out {artifact}` */
  command: z
    .string()
    .min(1, 'trainer command is empty')
    .superRefine((command, context) => {
      for (const message of trainerCommandProblems(command)) context.addIssue({ code: 'custom', message });
    }),
  /** Stopped (SIGTERM, then SIGKILL) and failed once it runs longer than this. */
  timeoutSeconds: z.number().positive().max(30 * 24 * 3600).default(3600),
  /** Where it runs; relative paths are resolved from the worker's working directory. */
  cwd: z.string().min(1).optional(),
  /**
   * Fixed environment variables. The trainer does not inherit opsbot's environment: it
   * gets PATH, HOME, the locale, TZ, TMPDIR, the CUDA/NVIDIA variables, these and `passEnv`.
   */
  env: z
    .record(envName, z.string())
    .refine((env) => !('CUDA_VISIBLE_DEVICES' in env), CUDA_VISIBLE_DEVICES_IS_OPSBOTS)
    .default({}),
  /** Variables passed through from the worker's environment by name, e.g. `["WANDB_API_KEY"]`. */
  passEnv: z
    .array(envName)
    .refine((names) => !names.includes('CUDA_VISIBLE_DEVICES'), CUDA_VISIBLE_DEVICES_IS_OPSBOTS)
    .default([]),
  /** How long SIGTERM has to work before SIGKILL, on cancellation or timeout. */
  killGraceSeconds: z.number().min(0).max(600).default(10),
});

/** With its defaults applied. */
export type ExternalTrainerConfig = z.output<typeof externalTrainerSchema>;

/** Per-model settings in `opsbot.config.json`: `"models": {"bert-intents": {"trainer": {...}}}`. */
export const modelConfigSchema = z.object({ trainer: externalTrainerSchema.optional() });
