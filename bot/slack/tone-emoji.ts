import type { Tone } from '../../core/index.js';

/** Slack emoji shortcodes that lead a message, so its tone shows at a glance and in notifications. */
export const TONE_EMOJI: Record<Tone, string> = {
  info: ':information_source:',
  success: ':white_check_mark:',
  warning: ':warning:',
  error: ':x:',
};
