export { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from './slack-adapter.js';
export { renderBlockKit, type BlockKitMessage, type KnownBlock } from './render-block-kit.js';
export { renderPlainText } from './render-plain-text.js';
export { SLACK_LIMITS } from './slack-limits.js';
export { SLACK_SCOPES } from './slack-scopes.js';
export { verifySlackSignature, SIGNATURE_TOLERANCE_SECONDS } from './verify-signature.js';
export { SlackChat } from './slack-chat.js';
