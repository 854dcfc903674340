import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { LlmConfig } from '../../core/config/llm.schema.js';
import { AnthropicChatModel } from './anthropic-chat-model.js';
import { OpenAICompatibleChatModel } from './openai-compatible-chat-model.js';

const DEFAULT_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  ollama: 'http://127.0.0.1:11434',
} as const;

/** The chat model of the `llm` config section. Ollama is asked through its OpenAI-compatible /v1 API. */
export function createChatModel(config: LlmConfig): BaseChatModel {
  const base = config.baseUrl ?? DEFAULT_BASE_URLS[config.provider];
  const settings = { model: config.model, timeoutMs: config.timeoutMs, temperature: config.temperature, ...(config.apiKey ? { apiKey: config.apiKey } : {}) };
  switch (config.provider) {
    case 'openai':
      return new OpenAICompatibleChatModel({ ...settings, baseUrl: base });
    case 'ollama':
      return new OpenAICompatibleChatModel({ ...settings, baseUrl: /\/v1\/?$/.test(base) ? base : `${base.replace(/\/+$/, '')}/v1` });
    case 'anthropic':
      return new AnthropicChatModel({ ...settings, baseUrl: base });
  }
}
