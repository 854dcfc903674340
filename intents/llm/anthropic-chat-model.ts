import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { z } from 'zod';
import type { ChatEndpointSettings } from './openai-compatible-chat-model.js';

interface CallOptions extends BaseChatModelCallOptions {
  tools?: Array<{ name: string; description?: string; input_schema: unknown }>;
}

const messagesSchema = z.object({
  content: z.array(
    z.union([
      z.object({ type: z.literal('text'), text: z.string() }),
      z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
      z.object({ type: z.string() }),
    ]),
  ),
});

const MAX_TOKENS = 512;
const API_VERSION = '2023-06-01';

/** A LangChain chat model for Anthropic's Messages API with tool use (a small client: one request shape). */
export class AnthropicChatModel extends BaseChatModel<CallOptions> {
  constructor(private readonly settings: ChatEndpointSettings) {
    super({});
  }

  _llmType(): string {
    return 'anthropic';
  }

  override bindTools(tools: BindToolsInput[]) {
    const converted = tools.map((tool) => {
      const { function: fn } = convertToOpenAITool(tool);
      return { name: fn.name, ...(fn.description ? { description: fn.description } : {}), input_schema: fn.parameters };
    });
    return this.withConfig({ tools: converted } as Partial<CallOptions>);
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const url = `${this.settings.baseUrl.replace(/\/+$/, '')}/v1/messages`;
    const system = messages.filter((m) => m.getType() === 'system').map((m) => String(m.content)).join('\n');
    const body = {
      model: this.settings.model,
      max_tokens: MAX_TOKENS,
      temperature: this.settings.temperature,
      ...(system ? { system } : {}),
      messages: messages
        .filter((m) => m.getType() !== 'system')
        .map((m) => ({ role: m.getType() === 'ai' ? 'assistant' : 'user', content: String(m.content) })),
      ...(options.tools && options.tools.length > 0 ? { tools: options.tools } : {}),
    };
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': API_VERSION, ...(this.settings.apiKey ? { 'x-api-key': this.settings.apiKey } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
    const parsed = messagesSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${url} answered something that is not a Messages API reply`);
    let content = '';
    const toolCalls: Array<{ id: string; name: string; args: Record<string, unknown>; type: 'tool_call' }> = [];
    for (const block of parsed.data.content) {
      if (block.type === 'text' && 'text' in block) content += block.text;
      if (block.type === 'tool_use' && 'input' in block) toolCalls.push({ id: block.id, name: block.name, args: block.input, type: 'tool_call' });
    }
    return { generations: [{ text: content, message: new AIMessage({ content, tool_calls: toolCalls }) }] };
  }
}
