export { printToTerminal } from './local/terminal-chat.js';
export { LocalWorkspace, type LocalMessage, type LocalWorkspaceEvent, type LocalWorkspaceListener } from './local/local-workspace.js';
export { runTerminalSession, LOCAL_CONVERSATION, type TerminalSessionOptions } from './local/terminal-session.js';
export { renderText } from './local/render-text.js';
export { localIdentity } from './local/local-identity.js';
export type { AdapterContext, ChatAdapter } from './chat-adapter.js';
export * from './teams/index.js';
export * from './slack/index.js';
export * from './playground/index.js';
