export * from './local/index.js';
export type { AdapterContext, ChatAdapter } from './chat-adapter.js';
export * from './teams/index.js';
export * from './slack/index.js';
export * from './playground/index.js';
