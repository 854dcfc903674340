export { createPlaygroundAdapter, type PlaygroundOptions } from './playground-adapter.js';
export { renderMessageHtml, type ImageUrl } from './render-message-html.js';
export { PLAYGROUND_CONVERSATION } from './playground-conversation.js';
export type { PlaygroundEntry } from './playground-entry.js';
export { isLoopbackBind, resolvePlaygroundAccess, type PlaygroundAccess } from './playground-access.js';
