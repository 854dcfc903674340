import { renderAdaptiveCard, TEAMS_CARD_MAX_BYTES } from '../../../../bot/teams/index.js';
import type { Message, MessageBlock } from '../../../../core/index.js';

/** A 1×1 transparent PNG. */
const TINY_PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));
/** As large as a real training curve (37–74 KB): over Teams' message limit as a data URL. */
const CHART_PNG = new Uint8Array(60_000).fill(7);
const HOSTED = 'https://opsbot.example.com/images/7b0c1f7e-4a51-4c8e-9a43-3f5d2b7c9e10.png';

const chart = (png: Uint8Array): Message => ({
  text: 'Training curve',
  tone: 'info',
  blocks: [
    { type: 'text', text: 'Training curve' },
    { type: 'image', png, alt: 'loss by epoch', title: 'Loss' },
    { type: 'fields', fields: [{ label: 'final loss', value: '0.12' }] },
  ] satisfies MessageBlock[],
});

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
const imageOf = (message: Message, imageUrls?: ReadonlyMap<number, string>) => renderAdaptiveCard(message, { imageUrls }).body.find((element) => element.type === 'Image');

describe('images in an Adaptive Card', () => {
  it('embeds a small image as a data URL when it is not hosted', () => {
    expect(imageOf(chart(TINY_PNG))).toEqual({ type: 'Image', url: `data:image/png;base64,${Buffer.from(TINY_PNG).toString('base64')}`, altText: 'loss by epoch', size: 'Stretch' });
  });

  it('shows a hosted image from its URL, however large, and leaves nothing out', () => {
    const card = renderAdaptiveCard(chart(CHART_PNG), { imageUrls: new Map([[1, HOSTED]]) });
    expect(card.body.find((element) => element.type === 'Image')).toEqual({ type: 'Image', url: HOSTED, altText: 'loss by epoch', size: 'Stretch' });
    const serialized = JSON.stringify(card);
    expect(bytes(card)).toBeLessThan(2_000);
    expect(serialized).not.toContain('data:image/png');
    expect(serialized).not.toContain('left out');
    expect(serialized).toContain('final loss');
  });

  it('prefers the hosted URL for a small image too: the card stays small', () => {
    expect(imageOf(chart(TINY_PNG), new Map([[1, HOSTED]]))).toMatchObject({ url: HOSTED });
  });

  it('leaves out a large image that is not hosted, says how to get it shown, and keeps what follows', () => {
    const card = renderAdaptiveCard(chart(CHART_PNG));
    expect(bytes(card)).toBeLessThanOrEqual(TEAMS_CARD_MAX_BYTES);
    const serialized = JSON.stringify(card.body);
    expect(serialized).not.toContain('data:image/png');
    expect(serialized).toContain('Image “Loss” left out: too large for a Teams message. Set OPSBOT_PUBLIC_URL so Teams can show charts.');
    expect(serialized).toContain('final loss');
  });

  it('counts a hosted image that finds no room among the parts not shown, without the OPSBOT_PUBLIC_URL hint', () => {
    const crowded: Message = { ...chart(CHART_PNG), blocks: [{ type: 'text', text: 'x'.repeat(40_000) }, { type: 'image', png: CHART_PNG, alt: 'loss by epoch', title: 'Loss' }] };
    const card = renderAdaptiveCard(crowded, { imageUrls: new Map([[1, HOSTED]]) });
    const serialized = JSON.stringify(card.body);
    expect(bytes(card)).toBeLessThanOrEqual(TEAMS_CARD_MAX_BYTES);
    expect(serialized).toContain('1 more part not shown');
    expect(serialized).not.toContain('OPSBOT_PUBLIC_URL');
  });
});
