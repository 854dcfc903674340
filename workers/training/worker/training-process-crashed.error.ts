import { OpsbotError } from '../../../core/index.js';

/**
 * The training process died without an answer: a native abort (onnxruntime), out of
 * memory, a kill. Only its job fails; not permanent, so the retry policy applies.
 */
export class TrainingProcessCrashedError extends OpsbotError {
  constructor(
    how: string,
    /** The last lines of its stderr, for the log; the chat sees only the first meaningful one. */
    readonly stderr: string,
  ) {
    const first = stderr.split('\n').find((line) => line.trim() !== '' && !/^\s*(at |\d+: 0x)/.test(line));
    super('job_failed', `the training process crashed (${how})${first ? `: ${first.trim().slice(0, 200)}` : ''}. The bot is unaffected.`);
  }
}
