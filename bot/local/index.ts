export { printToTerminal } from './terminal-chat.js';
export { LocalWorkspace, type LocalMessage, type LocalWorkspaceEvent, type LocalWorkspaceListener } from './local-workspace.js';
export { runTerminalSession, LOCAL_CONVERSATION, type TerminalSessionOptions } from './terminal-session.js';
export { renderText } from './render-text.js';
export { localIdentity } from './local-identity.js';
