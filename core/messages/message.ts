/**
 * The platform-neutral message core code replies with. Each chat adapter renders it
 * (terminal text, Block Kit, Adaptive Cards); nothing in core builds platform payloads.
 */
export type Tone = 'info' | 'success' | 'warning' | 'error';

export interface Button {
  label: string;
  /** The command this button runs for the person who clicks it, e.g. `confirm 4821`. */
  command: string;
  style?: 'primary' | 'danger';
}

export type MessageBlock =
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Array<{ label: string; value: string }> }
  | { type: 'table'; columns: string[]; rows: string[][] }
  | { type: 'context'; text: string }
  | { type: 'buttons'; buttons: Button[] };

export interface Message {
  /** Plain-text summary: notification text and the fallback for clients that cannot render blocks. */
  text: string;
  tone: Tone;
  blocks: MessageBlock[];
}

export function textMessage(text: string, tone: Tone = 'info', extra: MessageBlock[] = []): Message {
  return { text, tone, blocks: [{ type: 'text', text }, ...extra] };
}
