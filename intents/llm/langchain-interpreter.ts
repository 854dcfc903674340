import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage, type AIMessage } from '@langchain/core/messages';
import { ACTION_NAMES, type ActionLimits, type ActionName } from '../../core/index.js';
import type { LlmInterpreter, LlmOutcome } from '../nl/llm-port.js';
import { actionTools } from './action-tools.js';

export interface LangchainInterpreterOptions {
  readonly limits: ActionLimits;
  readonly environments: readonly string[];
  /** Models in the registry, named in the prompt so the LLM picks real ones. */
  readonly knownModels?: () => readonly string[];
}

const MAX_LISTED_MODELS = 50;

function systemPrompt(options: LangchainInterpreterOptions): string {
  const models = options.knownModels?.() ?? [];
  return [
    'You turn one chat message to opsbot, an ML-ops bot, into at most one tool call.',
    'Call a tool only when the message asks for that action. For chit-chat, questions about other things, or commands of other tools, call no tool and answer in one short sentence.',
    'Never invent a value the message does not give: leave out an environment, model, version or job id that is not said.',
    `Environments: ${options.environments.join(', ')}.`,
    models.length > 0 ? `Models: ${models.slice(0, MAX_LISTED_MODELS).join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function textOf(message: AIMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}

/**
 * The LLM through LangChain tool calling: the message goes to a chat model bound to one tool
 * per action; the first tool call comes back as an (unvalidated) action for the same
 * completion and validation as the intent model's. Errors of the model or its API come back
 * as a message, never as an exception: the bot keeps answering without its LLM.
 */
export function createLangchainInterpreter(model: BaseChatModel, options: LangchainInterpreterOptions): LlmInterpreter {
  if (typeof model.bindTools !== 'function') throw new Error(`the chat model ${model._llmType()} cannot call tools`);
  const bound = model.bindTools(actionTools(options.limits).map((tool) => ({ ...tool })));
  return {
    async interpret(text: string): Promise<LlmOutcome> {
      let reply: AIMessage;
      try {
        reply = (await bound.invoke([new SystemMessage(systemPrompt(options)), new HumanMessage(text)])) as AIMessage;
      } catch (error) {
        return { kind: 'error', message: `the LLM could not be asked: ${(error as Error).message}`, unavailable: true };
      }
      const call = reply.tool_calls?.[0];
      if (call === undefined) return { kind: 'no-tool-call', reply: textOf(reply).trim() };
      if (!(ACTION_NAMES as readonly string[]).includes(call.name)) {
        return { kind: 'error', message: `the LLM asked for "${call.name}", which is no opsbot command; commands are ${ACTION_NAMES.join(', ')}` };
      }
      const args = call.args !== null && typeof call.args === 'object' ? (call.args as Record<string, unknown>) : {};
      return { kind: 'tool-call', action: call.name as ActionName, args };
    },
  };
}
