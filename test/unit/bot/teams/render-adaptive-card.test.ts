import { renderAdaptiveCard, TEAMS_CARD_MAX_BYTES } from '../../../../bot/teams/index.js';
import type { Message, MessageBlock } from '../../../../core/index.js';

/** A 1×1 transparent PNG: small enough to snapshot. */
const TINY_PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));

const message = (blocks: MessageBlock[], tone: Message['tone'] = 'info', text = 'summary'): Message => ({ text, tone, blocks });

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('renderAdaptiveCard', () => {
  const kinds: Array<[string, Message]> = [
    ['text with a mention', message([{ type: 'text', text: 'Deployed for <@aad-alice>.\nSecond line', mentions: [{ userId: 'aad-alice', displayName: 'Alice Adams' }] }], 'success')],
    ['fields', message([{ type: 'text', text: 'Job j-1: train — completed' }, { type: 'fields', fields: [{ label: 'accuracy', value: '0.93' }, { label: 'examples', value: '400' }] }], 'success')],
    ['table', message([{ type: 'text', text: 'Recent jobs:' }, { type: 'table', columns: ['job', 'state'], rows: [['j-1', 'completed'], ['j-2', 'running 40%']] }])],
    ['context', message([{ type: 'text', text: 'Job j-1' }, { type: 'context', text: 'requested by Alice · worker w-1' }])],
    [
      'buttons with styles and a confirm dialog',
      message(
        [
          { type: 'text', text: 'This will deploy sentiment v2 to prod.' },
          {
            type: 'buttons',
            buttons: [
              { label: 'Yes, deploy', command: 'confirm 4821', style: 'danger', confirm: { title: 'Deploy to prod?', text: 'prod serves customers.', confirmLabel: 'Deploy', denyLabel: 'Keep v1' } },
              { label: 'Retry', command: 'status j-1', style: 'primary' },
              { label: 'No', command: 'dismiss 4821' },
            ],
          },
        ],
        'warning',
      ),
    ],
    ['select', message([{ type: 'text', text: 'Which model?' }, { type: 'select', placeholder: 'Pick a model', options: [{ label: 'sentiment', command: 'status sentiment' }, { label: 'spam', command: 'status spam' }] }])],
    ['image', message([{ type: 'text', text: 'Loss curve' }, { type: 'image', png: TINY_PNG, alt: 'training loss by epoch', title: 'Loss' }])],
    ['error without a leading text block', message([{ type: 'fields', fields: [{ label: 'error', value: 'boom' }] }], 'error', 'Job j-9 failed\nmore detail')],
  ];

  it.each(kinds)('renders %s', (_name, input) => {
    expect(renderAdaptiveCard(input)).toMatchSnapshot();
  });

  it.each(kinds)('produces a schema 1.5 Adaptive Card for %s', (_name, input) => {
    const card = renderAdaptiveCard(input);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', msteams: { width: 'Full' } });
    expect(card.body[0]).toMatchObject({ type: 'Container', bleed: true });
    expect(JSON.parse(JSON.stringify(card))).toEqual(card);
  });

  it('colours the header by tone', () => {
    const styles = (['info', 'success', 'warning', 'error'] as const).map((tone) => renderAdaptiveCard(message([{ type: 'text', text: 'x' }], tone)).body[0]);
    expect(styles.map((container) => (container as { style: string }).style)).toEqual(['accent', 'good', 'warning', 'attention']);
  });

  it('declares each mention once, as Teams needs to notify the person', () => {
    const card = renderAdaptiveCard(
      message([
        { type: 'text', text: '<@u1> and <@u1> again', mentions: [{ userId: 'u1', displayName: 'Uma' }] },
        { type: 'text', text: 'cc <@u1>', mentions: [{ userId: 'u1', displayName: 'Uma' }] },
      ]),
    );
    expect(JSON.stringify(card.body)).toContain('<at>Uma</at> and <at>Uma</at> again');
    expect(card.msteams.entities).toEqual([{ type: 'mention', text: '<at>Uma</at>', mentioned: { id: 'u1', name: 'Uma' } }]);
  });

  it('renders links as markdown links in a small TextBlock; a URL that is not http(s) stays text', () => {
    const card = renderAdaptiveCard(
      message([
        { type: 'text', text: 'Firing: Error rate' },
        {
          type: 'links',
          links: [
            { label: 'source', url: 'http://prometheus:9090/graph?g0.expr=rate(x[5m])' },
            { label: 'run[book]', url: 'https://runbooks.example.com/a b' },
            { label: 'bad', url: 'javascript:alert(1)' },
            { label: 'spelt', url: '[x](javascript:alert(1))' },
          ],
        },
      ]),
    );
    expect(card.body[1]).toEqual({
      type: 'TextBlock',
      text: '[source](http://prometheus:9090/graph?g0.expr=rate%28x[5m]%29) · [run(book)](https://runbooks.example.com/a%20b) · bad: javascript:alert(1) · spelt: (x)(javascript:alert(1))',
      wrap: true,
      size: 'Small',
      isSubtle: true,
      spacing: 'Small',
    });
  });

  it('runs a button’s command as a Universal Action (Action.Execute), so its answer can be private', () => {
    const card = renderAdaptiveCard(message([{ type: 'text', text: 'x' }, { type: 'buttons', buttons: [{ label: 'Cancel', command: 'cancel j-1', style: 'danger' }] }]));
    expect(card.body[1]).toEqual({ type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Cancel', verb: 'opsbot.command', data: { command: 'cancel j-1' }, style: 'destructive' }] });
  });

  describe('size limit', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [`j-${i}`, 'completed', 'train sentiment on a fairly long dataset name.csv']);
    const big = message([
      { type: 'text', text: 'Recent jobs:' },
      { type: 'table', columns: ['job', 'state', 'action'], rows },
      { type: 'context', text: 'after the table' },
      { type: 'buttons', buttons: [{ label: 'Refresh', command: 'status' }] },
    ]);

    it('cuts a long table to fit, keeps the buttons, and says what was left out', () => {
      const card = renderAdaptiveCard(big);
      expect(bytes(card)).toBeLessThanOrEqual(TEAMS_CARD_MAX_BYTES);
      const table = card.body.find((element) => element.type === 'Table') as { rows: unknown[] };
      const shown = table.rows.length - 1;
      expect(shown).toBeGreaterThan(10);
      expect(shown).toBeLessThan(2000);
      const serialized = JSON.stringify(card.body);
      expect(serialized).toContain(`${shown} of 2000 rows shown`);
      expect(serialized).toContain('1 more part not shown');
      expect(serialized).not.toContain('after the table');
      expect(card.body.some((element) => element.type === 'ActionSet')).toBe(true);
    });

    it('uses the space it has: a smaller limit shows fewer rows', () => {
      const rowsShown = (maxBytes: number) => {
        const card = renderAdaptiveCard(big, { maxBytes });
        expect(bytes(card)).toBeLessThanOrEqual(maxBytes);
        return (card.body.find((element) => element.type === 'Table') as { rows: unknown[] }).rows.length - 1;
      };
      const small = rowsShown(8 * 1024);
      expect(small).toBeGreaterThan(0);
      expect(rowsShown(16 * 1024)).toBeGreaterThan(small);
    });

    it('cuts a huge text and drops the mentions whose text was cut away', () => {
      const text = `${'word '.repeat(20_000)} <@u9>`;
      const card = renderAdaptiveCard(message([{ type: 'text', text, mentions: [{ userId: 'u9', displayName: 'Nine' }] }], 'error'));
      expect(bytes(card)).toBeLessThanOrEqual(TEAMS_CARD_MAX_BYTES);
      expect(JSON.stringify(card.body)).toContain('a text was cut short');
      expect(card.msteams.entities).toBeUndefined();
    });
  });
});
