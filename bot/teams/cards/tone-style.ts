import type { Tone } from '../../../core/index.js';
import type { ContainerStyle } from './card-types.js';

/** The header colour of each tone; Teams draws good/warning/attention as green/amber/red. */
export const TONE_STYLE: Record<Tone, ContainerStyle> = {
  info: 'accent',
  success: 'good',
  warning: 'warning',
  error: 'attention',
};
