import type { Message, MessageBlock } from '../../../core/index.js';
import { ADAPTIVE_CARD_SCHEMA, type AdaptiveCard, type CardElement, type MentionEntity } from './card-types.js';
import { textBlock } from './card-text.js';
import { renderBlock } from './render-block.js';
import { largestFitting, shrinkable } from './shrink-block.js';
import { TONE_STYLE } from './tone-style.js';

/**
 * Teams refuses bot messages over about 28 KB, the card included; the card gets
 * this much and the rest is left for the activity around it (ids, summary).
 */
export const TEAMS_CARD_MAX_BYTES = 26 * 1024;

export interface RenderCardOptions {
  /** Serialized size the card must stay under; defaults to TEAMS_CARD_MAX_BYTES. */
  maxBytes?: number;
  /**
   * Where the message's images are hosted, by block index. An image without a URL goes in
   * the card as a data URL, which only fits when it is small.
   */
  imageUrls?: ReadonlyMap<number, string>;
}

interface Piece {
  block: MessageBlock;
  index: number;
  /** The first text block is drawn in the tone-coloured header. */
  header: boolean;
}

const NOTE_RESERVE = 240;

/** Only a hosted image can be larger than a message; hosting needs the public address. */
const INLINE_IMAGE_TOO_LARGE = 'too large for a Teams message. Set OPSBOT_PUBLIC_URL so Teams can show charts.';

/** Renders core's neutral message as one Adaptive Card (schema 1.5) within Teams' size limit. */
export function renderAdaptiveCard(message: Message, options: RenderCardOptions = {}): AdaptiveCard {
  const maxBytes = options.maxBytes ?? TEAMS_CARD_MAX_BYTES;
  const imageUrls = options.imageUrls ?? new Map<number, string>();
  const pieces = toPieces(message);
  const full = assemble(message, pieces, imageUrls, undefined);
  if (byteSize(full) <= maxBytes) return full;
  return fitToSize(message, pieces, imageUrls, maxBytes);
}

function toPieces(message: Message): Piece[] {
  const pieces: Piece[] = message.blocks.map((block, index) => ({ block, index, header: index === 0 && block.type === 'text' }));
  if (pieces[0]?.header) return pieces;
  // No leading text: the summary's first line becomes the header so the tone still shows.
  const firstLine = message.text.split('\n')[0]?.trim() || 'opsbot';
  return [{ block: { type: 'text', text: firstLine }, index: -1, header: true }, ...pieces];
}

function isInteractive(block: MessageBlock): boolean {
  return block.type === 'buttons' || block.type === 'select';
}

/** Drops and cuts content from the end (buttons and selects are kept) until the card fits. */
function fitToSize(message: Message, pieces: Piece[], imageUrls: ReadonlyMap<number, string>, maxBytes: number): AdaptiveCard {
  const reserve = 'x'.repeat(NOTE_RESERVE);
  let kept: Piece[] = pieces.filter((piece) => isInteractive(piece.block));
  const notes: string[] = [];
  if (byteSize(assemble(message, kept, imageUrls, reserve)) > maxBytes) {
    notes.push('its buttons were left out');
    kept = [];
  }
  const fits = (candidate: Piece[]) => byteSize(assemble(message, sortPieces(candidate), imageUrls, reserve)) <= maxBytes;
  let omitted = 0;
  let stopped = false;
  for (const piece of pieces) {
    if (isInteractive(piece.block)) continue;
    if (stopped) {
      omitted += 1;
      continue;
    }
    if (fits([...kept, piece])) {
      kept.push(piece);
      continue;
    }
    if (piece.block.type === 'image' && !imageUrls.has(piece.index)) {
      const placeholder: Piece = { ...piece, block: { type: 'context', text: `Image “${piece.block.title ?? piece.block.alt}” left out: ${INLINE_IMAGE_TOO_LARGE}` } };
      if (fits([...kept, placeholder])) kept.push(placeholder);
      else omitted += 1;
      continue;
    }
    const cut = shrinkable(piece.block);
    const n = cut ? largestFitting(cut.units - 1, (count) => fits([...kept, { ...piece, block: cut.keep(count) }])) : -1;
    if (cut && n > 0) {
      kept.push({ ...piece, block: cut.keep(n) });
      if (cut.unitName !== 'characters') notes.push(`${n} of ${cut.units} ${cut.unitName} shown`);
      else notes.push('a text was cut short');
    } else {
      omitted += 1;
    }
    stopped = true;
  }
  if (omitted > 0) notes.push(`${omitted} more part${omitted === 1 ? '' : 's'} not shown`);
  const note = `Shortened to fit Teams' message size limit: ${notes.join('; ')}.`.slice(0, NOTE_RESERVE);
  return assemble(message, sortPieces(kept), imageUrls, note);
}

function sortPieces(pieces: Piece[]): Piece[] {
  return [...pieces].sort((a, b) => a.index - b.index);
}

function assemble(message: Message, pieces: Piece[], imageUrls: ReadonlyMap<number, string>, note: string | undefined): AdaptiveCard {
  const body: CardElement[] = [];
  let entities: MentionEntity[] = [];
  for (const piece of pieces) {
    const rendered = renderBlock(piece.block, piece.index, imageUrls.get(piece.index));
    entities = entities.concat(rendered.entities);
    if (piece.header) {
      const [first] = rendered.elements;
      const short = piece.block.type === 'text' && piece.block.text.length <= 150 && !piece.block.text.includes('\n');
      const heading = first?.type === 'TextBlock' ? { ...first, ...(short ? { weight: 'Bolder' as const } : {}) } : first;
      body.push({ type: 'Container', style: TONE_STYLE[message.tone], bleed: true, items: heading ? [heading] : [] });
    } else {
      body.push(...rendered.elements);
    }
  }
  if (note) body.push(textBlock(note, { size: 'Small', isSubtle: true }));
  // A mention whose text was cut away must not be declared, or Teams rejects the card.
  const serializedBody = JSON.stringify(body);
  const present = entities.filter(
    (entity, i) => serializedBody.includes(JSON.stringify(entity.text).slice(1, -1)) && entities.findIndex((other) => other.text === entity.text) === i,
  );
  return {
    type: 'AdaptiveCard',
    $schema: ADAPTIVE_CARD_SCHEMA,
    version: '1.5',
    fallbackText: message.text.slice(0, 1000),
    body,
    msteams: present.length > 0 ? { width: 'Full', entities: present } : { width: 'Full' },
  };
}

export function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
