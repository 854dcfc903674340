export * from './rule-evaluator.js';
export * from './local-metrics-targets.js';
export { ruleAlertNotification, ruleAlertKey, ruleAlertLabels } from './rule-alert-notification.js';
export { HYSTERESIS } from './rule-verdict.js';
