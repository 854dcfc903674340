import { webLinkHref, type Button, type Link, type Message, type MessageBlock, type Tone } from '../../core/index.js';
import { escapeHtml } from './escape-html.js';
import { renderInline } from './render-inline.js';

/** Where an image block's bytes are served from; without one, images are inlined as data URIs. */
export type ImageUrl = (index: number) => string;

/** Drawn as a colored badge rather than an emoji, so it looks the same without an emoji font. */
const TONE_MARK: Record<Tone, string> = { info: '', success: '✓', warning: '!', error: '✕' };

function toneMarkHtml(tone: Tone): string {
  return tone === 'info' ? '' : `<span class="tone-mark" role="img" aria-label="${tone}">${TONE_MARK[tone]}</span>`;
}

/**
 * Core draws progress as a text bar (`███░░░ 30% epoch 3/10`) so every platform can show it;
 * a browser can do better, so that one line becomes a real <progress> that moves in place.
 */
const PROGRESS_LINE = /^[█░]{10} (\d{1,3})%(?: ([^]*))?$/;

function renderText(block: Extract<MessageBlock, { type: 'text' }>, mark: string): string {
  const progress = PROGRESS_LINE.exec(block.text);
  if (progress) {
    const percent = Math.min(100, Number(progress[1]));
    const label = progress[2] ? ` ${escapeHtml(progress[2])}` : '';
    return `<div class="block progress"><progress max="100" value="${percent}">${percent}%</progress><span class="progress-label"><strong>${percent}%</strong>${label}</span></div>`;
  }
  return `<p class="block text">${mark ? `${mark} ` : ''}${renderInline(block.text, block.mentions)}</p>`;
}

function renderButton(button: Button): string {
  const style = button.style ? ` btn-${button.style}` : '';
  const confirm = button.confirm
    ? ` data-confirm-title="${escapeHtml(button.confirm.title)}" data-confirm-text="${escapeHtml(button.confirm.text)}"` +
      ` data-confirm-label="${escapeHtml(button.confirm.confirmLabel)}" data-deny-label="${escapeHtml(button.confirm.denyLabel)}"`
    : '';
  return `<button type="button" class="btn${style}" data-command="${escapeHtml(button.command)}"${confirm}>${escapeHtml(button.label)}</button>`;
}

/** A new tab, and no `window.opener` or referrer for the page behind it: the URL may come from an alert payload. */
function renderLink(link: Link): string {
  const href = webLinkHref(link.url);
  if (href === undefined) return `<span class="link-text">${escapeHtml(`${link.label}: ${link.url}`)}</span>`;
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(link.label.trim() || href)}</a>`;
}

function renderTable(columns: string[], rows: string[][]): string {
  const head = columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('');
  const body = rows.map((row) => `<tr>${columns.map((_, i) => `<td>${escapeHtml(row[i] ?? '')}</td>`).join('')}</tr>`).join('');
  return `<div class="block table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function renderBlock(block: MessageBlock, index: number, imageUrl: ImageUrl, mark: string): string {
  switch (block.type) {
    case 'text':
      return renderText(block, mark);
    case 'fields':
      return `<dl class="block fields">${block.fields
        .map((field) => `<div class="field"><dt>${escapeHtml(field.label)}</dt><dd>${escapeHtml(field.value)}</dd></div>`)
        .join('')}</dl>`;
    case 'table':
      return renderTable(block.columns, block.rows);
    case 'context':
      return `<p class="block context">${renderInline(block.text)}</p>`;
    case 'links':
      return block.links.length === 0 ? '' : `<p class="block context links">${block.links.map(renderLink).join(' · ')}</p>`;
    case 'buttons':
      return `<div class="block actions">${block.buttons.map(renderButton).join('')}</div>`;
    case 'select':
      return (
        `<div class="block actions"><select class="select" data-select aria-label="${escapeHtml(block.placeholder)}">` +
        `<option value="" selected disabled>${escapeHtml(block.placeholder)}</option>` +
        block.options.map((option) => `<option value="${escapeHtml(option.command)}">${escapeHtml(option.label)}</option>`).join('') +
        `</select></div>`
      );
    case 'image': {
      const caption = block.title ? `<figcaption>${escapeHtml(block.title)}</figcaption>` : '';
      return `<figure class="block image"><img src="${escapeHtml(imageUrl(index))}" alt="${escapeHtml(block.alt)}">${caption}</figure>`;
    }
  }
}

/** A standalone rendering (no server to fetch from) carries its images inline. */
function inlineImages(message: Message): ImageUrl {
  return (index) => {
    const block = message.blocks[index];
    return block?.type === 'image' ? `data:image/png;base64,${Buffer.from(block.png).toString('base64')}` : '';
  };
}

/**
 * The playground's rendering of core's neutral message: an HTML fragment with every text
 * escaped. Buttons and selects carry their command in data attributes; the page's script
 * sends it back as if it were typed.
 */
export function renderMessageHtml(message: Message, imageUrl: ImageUrl = inlineImages(message)): string {
  const mark = toneMarkHtml(message.tone);
  const blocks = message.blocks.length > 0 ? message.blocks : [{ type: 'text', text: message.text } satisfies MessageBlock];
  // The tone's mark leads the first text block, the way a bot's status line reads in Slack.
  const firstText = blocks.findIndex((block) => block.type === 'text');
  const html = blocks.map((block, i) => renderBlock(block, i, imageUrl, i === firstText ? mark : '')).join('');
  const lead = firstText === -1 ? mark : '';
  return `<div class="message tone-${message.tone}">${lead}${html}</div>`;
}
