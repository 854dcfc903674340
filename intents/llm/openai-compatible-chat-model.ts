import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { z } from 'zod';

export interface ChatEndpointSettings {
  /** API root, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 (Ollama's OpenAI-compatible API). */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  readonly timeoutMs: number;
  readonly temperature: number;
}

interface CallOptions extends BaseChatModelCallOptions {
  tools?: unknown[];
}

/** The part of a chat-completions answer read here; checked, as it comes over the network. */
const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullable().optional(),
          tool_calls: z
            .array(z.object({ id: z.string().optional(), function: z.object({ name: z.string(), arguments: z.string().optional() }) }))
            .optional(),
        }),
      }),
    )
    .min(1),
});

function roleOf(message: BaseMessage): 'system' | 'user' | 'assistant' {
  const type = message.getType();
  return type === 'system' ? 'system' : type === 'ai' ? 'assistant' : 'user';
}

function textOf(message: BaseMessage): string {
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
}

/**
 * A LangChain chat model for any OpenAI-compatible chat-completions API (OpenAI, Ollama's /v1,
 * vLLM, LM Studio): a small client, since the provider packages are not needed for one
 * request shape. Tool calls come back as LangChain tool calls.
 */
export class OpenAICompatibleChatModel extends BaseChatModel<CallOptions> {
  constructor(private readonly settings: ChatEndpointSettings) {
    super({});
  }

  _llmType(): string {
    return 'openai-compatible';
  }

  override bindTools(tools: BindToolsInput[]) {
    return this.withConfig({ tools: tools.map((tool) => convertToOpenAITool(tool)) } as Partial<CallOptions>);
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const url = `${this.settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const body = {
      model: this.settings.model,
      temperature: this.settings.temperature,
      messages: messages.map((m) => ({ role: roleOf(m), content: textOf(m) })),
      ...(options.tools && options.tools.length > 0 ? { tools: options.tools, tool_choice: 'auto' } : {}),
    };
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
    const parsed = completionSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${url} answered something that is not a chat completion`);
    const message = parsed.data.choices[0]!.message;
    const toolCalls = (message.tool_calls ?? []).map((call, i) => ({
      id: call.id ?? `call_${i}`,
      name: call.function.name,
      args: parseArguments(call.function.arguments),
      type: 'tool_call' as const,
    }));
    const content = message.content ?? '';
    return { generations: [{ text: content, message: new AIMessage({ content, tool_calls: toolCalls }) }] };
  }
}

/** Tool arguments arrive as a JSON string; one that is not JSON becomes no arguments, which validation then reports. */
function parseArguments(raw: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw || '{}');
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
