export { TerminalChat } from './local/terminal-chat.js';
export { runTerminalSession, LOCAL_CONVERSATION, type TerminalSessionOptions } from './local/terminal-session.js';
export { renderText } from './local/render-text.js';
export { localIdentity } from './local/local-identity.js';
