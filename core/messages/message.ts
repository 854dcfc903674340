/**
 * The platform-neutral message core code replies with. Each chat adapter renders it
 * (terminal text, Block Kit, Adaptive Cards, the playground's HTML); nothing in core
 * builds platform payloads.
 */
export type Tone = 'info' | 'success' | 'warning' | 'error';

/** A person named inside a text block; the text refers to them as `<@userId>`. */
export interface Mention {
  userId: string;
  displayName: string;
}

/** A dialog shown before a button's command runs (Slack `confirm`, a Teams card prompt). */
export interface ConfirmDialog {
  title: string;
  text: string;
  confirmLabel: string;
  denyLabel: string;
}

export interface Button {
  label: string;
  /** The command this button runs for the person who clicks it, e.g. `confirm 4821`. */
  command: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
}

export interface SelectOption {
  label: string;
  /** The command run when this option is chosen. */
  command: string;
}

/**
 * A labelled web address (an alert's source graph, a runbook). Renderers make it a link only
 * when `webLinkHref` accepts the URL: URLs often come from outside (Alertmanager payloads).
 */
export interface Link {
  label: string;
  url: string;
}

export type MessageBlock =
  | { type: 'text'; text: string; mentions?: Mention[] }
  | { type: 'fields'; fields: Array<{ label: string; value: string }> }
  | { type: 'table'; columns: string[]; rows: string[][] }
  | { type: 'context'; text: string }
  /** A row of links, shown small like context. */
  | { type: 'links'; links: Link[] }
  | { type: 'buttons'; buttons: Button[] }
  | { type: 'select'; placeholder: string; options: SelectOption[] }
  | { type: 'image'; png: Uint8Array; alt: string; title?: string };

export interface Message {
  /** Plain-text summary: notification text and the fallback for clients that cannot render blocks. */
  text: string;
  tone: Tone;
  blocks: MessageBlock[];
}

export function textMessage(text: string, tone: Tone = 'info', extra: MessageBlock[] = []): Message {
  return { text, tone, blocks: [{ type: 'text', text }, ...extra] };
}
