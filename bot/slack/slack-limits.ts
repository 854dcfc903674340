/**
 * Slack's published limits for messages and Block Kit (docs.slack.dev/reference/block-kit).
 * Going over any of them makes chat.postMessage fail with `invalid_blocks`, so the renderer
 * splits or truncates against these numbers instead.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  selectPlaceholder: 150,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** chat.postMessage's `text`; Slack truncates beyond it. */
  messageText: 40_000,
} as const;
