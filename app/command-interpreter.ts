import type { ClarificationChoice, CommandInterpreter, Interpretation, OpsbotConfig } from '../core/index.js';
import { actionLimitsFrom } from '../core/index.js';
import {
  PendingClarifications,
  answerClarification,
  createCommandParser,
  createUnderstander,
  type ClarifyUnderstanding,
  type LlmInterpreter,
  type ParseOutcome,
  type Understander,
  type Understanding,
} from '../intents/index.js';

/** The grammar alone, rebuilt only when the set of known models changes (parsers precompute their tables). */
export function grammarInterpreter(config: OpsbotConfig): CommandInterpreter {
  let cachedKey: string | undefined;
  let parse: ((text: string) => ParseOutcome) | undefined;
  return (text, knownModels) => {
    const key = knownModels.join(',');
    if (!parse || key !== cachedKey) {
      parse = createCommandParser({ limits: actionLimitsFrom(config), environments: config.environments, knownModels });
      cachedKey = key;
    }
    return parse(text);
  };
}

/** A click on a clarifying question's button: `choose <question id> <choice number>`. */
const CHOICE_CLICK = /^\s*choose\s+([a-z0-9]{1,12})\s+(\d{1,2})\s*$/i;
const HELP_POINTER = "I can't help with that one. I run ML-ops actions: train, evaluate, deploy, rollback, scale, status… Type `help` to see them.";

/** A question's id: unique per thread at a time (one open question per thread), short enough for a button. */
const questionId = (askedAt: number) => askedAt.toString(36).slice(-6);

/**
 * What people say, understood: the exact grammar first (commands behave as before), else
 * opsbot's intent model and slot reader, and the LLM when one is configured. A question
 * asked back is remembered per thread for its asker, so a click or a typed answer ("prod")
 * completes the half-built action; an answer is used once, so a second click runs nothing.
 */
export function naturalLanguageInterpreter(config: OpsbotConfig, options: { llm?: LlmInterpreter; clarifications?: PendingClarifications } = {}): CommandInterpreter {
  const clarifications = options.clarifications ?? new PendingClarifications();
  let cachedKey: string | undefined;
  let understander: Understander | undefined;
  const understanderFor = (knownModels: readonly string[]) => {
    const key = knownModels.join(',');
    if (!understander || key !== cachedKey) {
      understander = createUnderstander({ limits: actionLimitsFrom(config), environments: config.environments, knownModels, ...(options.llm ? { llm: options.llm } : {}) });
      cachedKey = key;
    }
    return understander;
  };

  return async (text, knownModels, context): Promise<Interpretation> => {
    const u = understanderFor(knownModels);
    const pending = context ? clarifications.peek(context.thread) : undefined;
    const interpretation = (understanding: Understanding, answered: boolean): Interpretation => {
      switch (understanding.kind) {
        case 'action':
          return {
            ok: true,
            action: understanding.action,
            confidence: understanding.confidence,
            source: understanding.source,
            ...(understanding.source !== 'grammar' || answered ? { understoodAs: understanding.command } : {}),
          };
        case 'invalid':
          return { ok: false, error: understanding.message };
        case 'none':
          return { ok: false, kind: 'none', error: understanding.reply ? `${understanding.reply}\n\n${HELP_POINTER}` : HELP_POINTER };
        case 'clarify': {
          const askedAt = Date.now();
          if (context) clarifications.remember(context.thread, { clarification: understanding, userId: context.userId, text, askedAt });
          return { ok: false, kind: 'clarify', error: understanding.question, choices: context ? buttons(understanding, askedAt) : [...understanding.choices] };
        }
      }
    };

    const click = CHOICE_CLICK.exec(text);
    if (click) {
      if (!context || !pending || questionId(pending.askedAt) !== click[1]!.toLowerCase()) {
        return { ok: false, error: 'That question was already answered or has expired (after 5 minutes); say what you want again.' };
      }
      if (pending.userId !== context.userId) return { ok: false, error: 'That question was asked to someone else; say what you want yourself and I will ask you.' };
      const choice = pending.clarification.choices[Number(click[2]) - 1];
      if (!choice) return { ok: false, error: 'That is not one of the choices.' };
      clarifications.take(context.thread);
      return interpretation(await u.understand(choice.command), true);
    }
    if (context && pending && pending.userId === context.userId) {
      const answer = await answerClarification(pending.clarification, text, u);
      if (answer.kind === 'cancelled') {
        clarifications.forget(context.thread);
        return { ok: false, kind: 'dropped', error: 'OK, dropped: nothing will run.' };
      }
      if (answer.kind === 'answered') {
        clarifications.take(context.thread);
        return interpretation(answer.understanding, true);
      }
    }
    return interpretation(await u.understand(text), false);
  };
}

/** The question's choices as buttons that answer this question only (a later click finds it answered). */
function buttons(clarification: ClarifyUnderstanding, askedAt: number): ClarificationChoice[] {
  return clarification.choices.map((choice, i) => ({ label: choice.label, command: `choose ${questionId(askedAt)} ${i + 1}` }));
}

/**
 * The interpreter the bot runs: natural language, with the configured LLM behind it
 * (LangChain and the chat model load only when `llm` is configured).
 */
export async function botInterpreter(config: OpsbotConfig, knownModels: () => readonly string[]): Promise<CommandInterpreter> {
  if (!config.llm) return naturalLanguageInterpreter(config);
  const { createChatModel, createLangchainInterpreter } = await import('../intents/llm/index.js');
  const llm = createLangchainInterpreter(createChatModel(config.llm), { limits: actionLimitsFrom(config), environments: config.environments.map((e) => e.name), knownModels });
  return naturalLanguageInterpreter(config, { llm });
}
