/** The optional LLM behind opsbot's own intent model, through LangChain tool calling. */
export { actionTools, type ActionTool } from './action-tools.js';
export { createLangchainInterpreter, type LangchainInterpreterOptions } from './langchain-interpreter.js';
export { createChatModel } from './create-chat-model.js';
export { OpenAICompatibleChatModel, type ChatEndpointSettings } from './openai-compatible-chat-model.js';
export { AnthropicChatModel } from './anthropic-chat-model.js';
