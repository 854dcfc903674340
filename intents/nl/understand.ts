import { JOB_ID_PATTERN, NotFoundError, type ActionName } from '../../core/index.js';
import { buildActionValidators } from '../action-validators.js';
import { resolveActionWord } from '../action-words.js';
import type { GrammarContext } from '../grammar-context.js';
import { createModelNames } from '../model-names.js';
import type { ArgValue } from '../normalize-slots.js';
import type { SlotName } from '../slots.js';
import { createCommandParser } from '../parse-command.js';
import { argsForIntent } from './args-for-intent.js';
import { completeAction, type CompletionWorld } from './complete-action.js';
import { formatCommand } from './format-command.js';
import { sharedIntentClassifier, type IntentClassifier } from './intent-classifier.js';
import type { LlmInterpreter } from './llm-port.js';
import { TONE_WORDS } from './lexicon.js';
import { createSlotReader, type Reading } from './slot-reader.js';
import type { Understanding } from './understanding.js';

export interface UnderstandContext extends GrammarContext {
  /** The replica count a model runs with now, for "double it"; absent: such requests ask for the number. */
  readonly currentReplicas?: (model: string, env: string) => number | undefined;
  /** Clock for "since yesterday"; tests pin it. */
  readonly now?: () => number;
  /** The configured LLM, asked when the intent model is unsure. */
  readonly llm?: LlmInterpreter;
  /** Another intent model than the shipped one (tests). */
  readonly classifier?: Promise<IntentClassifier>;
}

export interface Understander {
  understand(text: string): Promise<Understanding>;
  /** The same reading the intent model gets, for answers to a clarification. */
  read(text: string): Promise<Reading>;
  readonly world: CompletionWorld;
}

/** Characters outside what names, versions, paths and options are made of (parentheses are prose: "ship it (the pr)"). */
const UNSAFE_IN_COMMAND = /[^\x20-\x7e]|[;$`|&<>{}\\]/;
/**
 * Emoticons and emoji before or after the words ("deploy churn to prod :)", "🚀 ship it"): tone,
 * not part of any value, so they neither make a sentence unsafe nor reach the model. Inside a
 * command ("deploy 🚀 to prod") they stay, and the grammar says what is wrong.
 */
const EDGE_DECORATION = /^(?:\s*(?:[:;=8xX][-'^]?[)(\]\[DPpOo3|/\\*]+|<3|\p{Extended_Pictographic}[\u{FE0F}\u{200D}\p{Extended_Pictographic}\p{Emoji_Modifier}]*))+(?=\s|$)|(?<=^|\s)(?:(?:[:;=8][-'^]?[)(\]\[DPpOo3|/\\*]+|<3|\p{Extended_Pictographic}[\u{FE0F}\u{200D}\p{Extended_Pictographic}\p{Emoji_Modifier}]*)\s*)+$/gu;
/**
 * An emoji after a word of tone ("pls 🚀"), or with only words of tone after it ("to production 🙏 right now"), is
 * tone; anywhere else in a command ("deploy churn 🚀 to prod") it stays and the grammar refuses it.
 */
function emojiIsTone(words: readonly string[], i: number): boolean {
  const plain = (w: string) => w.toLowerCase().replace(/[!?.,]+$/, '');
  const before = plain(words[i - 1] ?? '');
  // "rollback churn in prod to 😬 now": where a value goes it stays, for the grammar to refuse.
  if (TAKES_A_VALUE.has(before)) return false;
  return TONE_BEFORE_EMOJI.has(before) || words.slice(i + 1).every((w) => TONE_AFTER_EMOJI.has(plain(w)));
}
const TAKES_A_VALUE: ReadonlySet<string> = new Set(['to', 'in', 'on', 'at', 'into', 'onto', 'for', 'with', 'v', 'version', 'from']);
/** After a command word said alone: "deploy please", "roll back now". */
const TONE_AFTER_COMMAND: ReadonlySet<string> = new Set([...TONE_WORDS, 'now']);
/** Words after which an emoji is tone ("pls 🚀"). */
const TONE_BEFORE_EMOJI: ReadonlySet<string> = new Set([...TONE_AFTER_COMMAND, 'today', 'tonight']);
/** What may follow an emoji that is tone: "🙏 right now", "🚀 when you can". */
const TONE_AFTER_EMOJI: ReadonlySet<string> = new Set([...TONE_BEFORE_EMOJI, 'right', 'when', 'you', 'can', '']);
const STANDALONE_EMOJI = /^(?:\p{Extended_Pictographic}[\u{FE0F}\u{200D}\p{Extended_Pictographic}\p{Emoji_Modifier}]*)+$/u;
const BOT_NAME = /^[/@]?opsbot[:,]?$/i;
const FILLERS: ReadonlySet<string> = new Set(['please', 'pls', 'plz', 'kindly', 'hey', 'hi', 'hello', 'ok', 'okay']);
/**
 * How log lines and build steps start: an upper-case level and a timestamp (either first), or a container build step.
 * A level alone is how people shout ("ERROR: churn is down in prod, roll it back").
 */
const PASTED_OUTPUT =
  /^(?:(?:INFO|WARN|WARNING|ERROR|DEBUG|FATAL|TRACE)\b\W{0,3}\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?\S*\]?\s+\[?(?:INFO|WARN|WARNING|ERROR|DEBUG|FATAL|TRACE)\b|Step \d+\/\d+ *: *(?:RUN|COPY|FROM|ADD|ENV|WORKDIR|CMD|ENTRYPOINT)\b)/;
/** The LLM gives no calibrated confidence; its answers are reported at this one. */
const LLM_CONFIDENCE = 0.8;
/** Intents offered in a "did you mean" besides the top one, when at least this likely. */
const ALTERNATIVE_MIN = 0.1;

/**
 * "deploy", "@opsbot roll back", "can you deploy?", "deploy please": a command's word alone, which asks for the
 * command's pieces rather than being chatter. Only said to the bot: "you can ship now" tells a colleague.
 */
export function bareCommandWord(text: string): ActionName | undefined {
  let words = wordsToTheBot(text);
  while (words.length > 0 && FILLERS.has(words[0]!)) words = words.slice(1);
  if (['can', 'could', 'would', 'will'].includes(words[0] ?? '') && ['you', 'u'].includes(words[1] ?? '')) words = words.slice(2);
  while (words.length > 0 && TONE_AFTER_COMMAND.has(words[words.length - 1]!)) words = words.slice(0, -1);
  if (words.length === 0 || words.length > 2) return undefined;
  return resolveActionWord(words.join(' ')) ?? (words.length === 1 ? resolveActionWord(words[0]!) : undefined);
}

/** The job id a message is made of, besides the bot's name and words of tone. */
function loneJobId(text: string): string | undefined {
  const words = wordsToTheBot(text).filter((w) => !FILLERS.has(w) && !TONE_AFTER_COMMAND.has(w));
  return words.length === 1 && JOB_ID_PATTERN.test(words[0]!) ? words[0] : undefined;
}

/** A short message's words, lower case, without their punctuation or the bot's name. */
function wordsToTheBot(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/[,;:!?.\u2026]+$/, ''))
    .filter((w) => w !== '' && !BOT_NAME.test(w));
}

/** Whether the text starts like a command ("deploy …", "@opsbot roll back …"): its grammar error is the clearer answer. */
function commandShaped(text: string): boolean {
  const words = text.trim().split(/\s+/).map((w) => w.toLowerCase().replace(/[,!]$/, ''));
  let i = 0;
  while (i < words.length - 1 && (BOT_NAME.test(words[i]!) || FILLERS.has(words[i]!))) i++;
  const first = words[i]?.replace(/^\//, '');
  if (first === undefined || first === '') return true;
  return resolveActionWord(`${first} ${words[i + 1] ?? ''}`) !== undefined || resolveActionWord(first) !== undefined;
}

/**
 * Text → what to do. The exact grammar first, so commands behave exactly as before; otherwise
 * the intent model (loaded once, lazily) names the intent and the slot reader fills its
 * arguments; an unsure intent goes to the LLM when one is configured. Everything that comes
 * out as an action has passed the same validation as a typed command.
 */
export function createUnderstander(context: UnderstandContext): Understander {
  const grammar = createCommandParser(context);
  const knownModels = (context.knownModels ?? []).map((m) => m.toLowerCase());
  const modelNames = createModelNames(context.knownModels);
  const world: CompletionWorld = {
    validators: buildActionValidators(context.limits),
    environments: context.environments.map((e) => e.name),
    knownModels,
    ...(context.currentReplicas ? { currentReplicas: context.currentReplicas } : {}),
  };
  const now = context.now ?? Date.now;
  const classifier = context.classifier ?? sharedIntentClassifier();
  const reader = classifier.then((c) => ({
    classifier: c,
    read: createSlotReader({ environments: context.environments, knownModels, vocabulary: new Set(c.vocabulary) }),
  }));

  async function fromLlm(text: string, reading: Reading, fallback: Understanding): Promise<Understanding> {
    const outcome = await context.llm!.interpret(text);
    if (outcome.kind === 'no-tool-call') return { kind: 'none', confidence: LLM_CONFIDENCE, source: 'llm', ...(outcome.reply ? { reply: outcome.reply } : {}) };
    if (outcome.kind === 'error') return outcome.unavailable ? fallback : { kind: 'invalid', message: outcome.message, confidence: 0, source: 'llm' };
    const args: Record<string, unknown> = { ...outcome.args };
    // An environment is never guessed, by the LLM either: it must be one the text names.
    if ('env' in args && !reading.envs.some((e) => e.name === args.env)) delete args.env;
    return completeAction({ action: outcome.action, args: args as Partial<Record<SlotName, ArgValue>>, confidence: LLM_CONFIDENCE, source: 'llm' }, world);
  }

  async function understand(typed: string): Promise<Understanding> {
    const parsed = grammar(typed);
    if (parsed.ok) {
      return { kind: 'action', action: parsed.action, confidence: 1, source: 'grammar', command: typed.trim(), corrections: [] };
    }
    const grammarError: Understanding = { kind: 'invalid', message: parsed.error, confidence: 1, source: 'grammar' };
    // A dash standing alone is punctuation ("sweep churn — 30 trials, grid"); an arrow standing alone is shorthand ("v3 → prod"); an emoji after a word of tone is tone ("ship it pls 🚀
    // when you can"). Any other emoji in a command ("deploy churn 🚀 to prod") stays for the grammar to refuse.
    const text =
      typed
        // Emoji that say an action: "📈 j-…" asks for the curve, "👀 j-…" how it is doing.
        .replace(/^(\s*(?:@?opsbot[:,]?\s+|hey,?\s+)?)(?:📈|📉)(?=\s|$)/iu, '$1plot')
        .replace(/^(\s*(?:@?opsbot[:,]?\s+|hey,?\s+)?)👀(?=\s|$)/iu, '$1check')
        .replace(EDGE_DECORATION, ' ')
        .trim()
        .split(/\s+/)
        .map((word, i, all) => (i < 2 ? word : word === '→' ? 'to' : word === '—' || word === '–' ? '' : STANDALONE_EMOJI.test(word.replace(/[!?.,]+$/, '')) && emojiIsTone(all, i) ? '' : word))
        .filter((word) => word !== '')
        .join(' ') || typed;
    const shaped = commandShaped(text);
    if (text.trim() === '' || text.length > (context.maxLength ?? 4000) || /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text)) return grammarError;
    // A command with characters no name or value has (accents, emoji, shell syntax) gets the grammar's exact complaint, never a guess.
    if (shaped && UNSAFE_IN_COMMAND.test(text)) return grammarError;
    // Pasted machine output ("INFO 2026-11-02 12:01:33 rollback complete: …", "Step 4/7 : RUN python train.py") asks for nothing.
    if (PASTED_OUTPUT.test(text)) return { kind: 'none', confidence: 1, source: 'grammar' };
    const bare = bareCommandWord(text);
    if (bare !== undefined) return completeAction({ action: bare, args: {}, confidence: 1, source: 'grammar' }, world);
    // A job id said alone ("j-4f9k2a7q?", "@opsbot j-4f9k2a7q thx") asks how that job is doing.
    const lone = loneJobId(text);
    if (lone !== undefined) return completeAction({ action: 'status', args: { jobId: lone }, confidence: 1, source: 'grammar' }, world);
    const { classifier: model, read } = await reader;
    const reading = read(text);
    const scores = await model.classify(reading.features);
    const top = scores[0]!;
    const { reject, clarify } = model.file.thresholds;
    const noneScore = scores.find((s) => s.label === 'none')?.p ?? 0;
    if (top.label === 'none' || top.p < reject) {
      const none: Understanding = { kind: 'none', confidence: round(top.label === 'none' ? top.p : Math.max(noneScore, 1 - top.p)), source: 'model' };
      if (context.llm && !(top.label === 'none' && top.p >= clarify)) return fromLlm(text, reading, none);
      return none;
    }
    const action = top.label as ActionName;
    if (top.p < clarify && context.llm) return fromLlm(text, reading, { kind: 'none', confidence: round(noneScore), source: 'model' });
    const found = argsForIntent(action, reading, { knownModels, now: now(), ...(context.currentReplicas ? { currentReplicas: context.currentReplicas } : {}) });
    if (top.p < clarify) {
      const alternatives = scores.filter((s, i) => i > 0 && s.label !== 'none' && s.p >= ALTERNATIVE_MIN).slice(0, 2);
      const choices = [top, ...alternatives].map((s) => {
        const intent = s.label as ActionName;
        const args = s === top ? found.args : argsForIntent(intent, reading, { knownModels, now: now() }).args;
        const command = formatCommand(intent, args);
        return { label: command, command };
      });
      return {
        kind: 'clarify',
        reason: 'unsure',
        question: choices.length > 1 ? 'Did you mean one of these?' : `Did you mean \`${choices[0]!.command}\`?`,
        choices,
        partial: { action, args: found.args },
        missing: [],
        confidence: round(top.p),
        source: 'model',
      };
    }
    if (found.unknownModel !== undefined) {
      try {
        modelNames.checkExists(found.unknownModel);
      } catch (error) {
        if (shaped) return grammarError;
        if (error instanceof NotFoundError) return { kind: 'invalid', message: error.userMessage, partial: { action, args: found.args }, confidence: round(top.p), source: 'model' };
        throw error;
      }
    }
    const result = completeAction(
      {
        action,
        args: found.args,
        confidence: round(top.p),
        source: 'model',
        ambiguous: found.ambiguous,
        corrections: found.corrections,
        ...(found.note ? { note: found.note } : {}),
        ...(found.relative ? { relative: found.relative } : {}),
      },
      world,
    );
    // A command with a mistake reads best as the grammar's own message ("unknown model "sentimnt" — did you mean …").
    if (shaped && (result.kind === 'invalid' || (result.kind === 'action' && result.corrections.some((c) => c.slot === 'model')))) return grammarError;
    return result;
  }

  return { understand, read: async (text) => (await reader).read(text), world };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
