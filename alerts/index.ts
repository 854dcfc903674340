export * from './alertmanager-payload.js';
export * from './alertmanager-client.js';
export * from './alert-triage.js';
export * from './alert-commands.js';
export * from './receiver-route.js';
export * from './route-alert.js';
export * from './triage-message.js';
export * from './create-alert-triage.js';
