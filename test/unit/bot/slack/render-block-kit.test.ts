import { renderBlockKit, renderPlainText, SLACK_LIMITS } from '../../../../bot/slack/index.js';
import type { Message } from '../../../../core/index.js';
import { blockProblems } from '../../../helpers/slack-api-fake.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const samples: Record<string, Message> = {
  text: {
    text: 'Deployed sentiment v3 to staging for <@U0ALICE>',
    tone: 'success',
    blocks: [{ type: 'text', text: 'Deployed *sentiment* v3 to staging for <@U0ALICE> & <@alice> (accuracy > 0.9)', mentions: [{ userId: 'alice', displayName: 'Alice' }] }],
  },
  fields: {
    text: 'sentiment v3',
    tone: 'info',
    blocks: [{ type: 'fields', fields: Array.from({ length: 12 }, (_, i) => ({ label: `metric ${i}`, value: (i / 10).toFixed(2) })) }],
  },
  table: {
    text: 'Versions of sentiment',
    tone: 'info',
    blocks: [
      { type: 'text', text: 'Versions of sentiment' },
      { type: 'table', columns: ['version', 'accuracy', 'dataset'], rows: [['v1', '0.91', 'sentiment.csv'], ['v2', '0.93', 'reviews <2024>.csv']] },
    ],
  },
  context: { text: 'requested by alice', tone: 'info', blocks: [{ type: 'context', text: 'requested by alice · worker w-1' }] },
  buttons: {
    text: 'This will deploy sentiment v1 to prod',
    tone: 'warning',
    blocks: [
      { type: 'text', text: 'This will deploy sentiment v1 to prod: prod is a protected environment.' },
      {
        type: 'buttons',
        buttons: [
          {
            label: 'Yes, deploy',
            command: 'confirm 4821',
            style: 'danger',
            confirm: { title: 'Deploy to prod?', text: 'sentiment v1 goes live.', confirmLabel: 'Deploy', denyLabel: 'Back' },
          },
          { label: 'No', command: 'dismiss 4821' },
          { label: 'Status', command: 'status', style: 'primary' },
        ],
      },
    ],
  },
  select: {
    text: 'Pick a version',
    tone: 'info',
    blocks: [{ type: 'select', placeholder: 'Roll back to…', options: [{ label: 'v1', command: 'rollback sentiment in prod to v1' }, { label: 'v2', command: 'rollback sentiment in prod to v2' }] }],
  },
  image: {
    text: 'Loss curve',
    tone: 'info',
    blocks: [{ type: 'text', text: 'Training finished' }, { type: 'image', png: PNG, alt: 'loss per epoch', title: 'Loss curve' }],
  },
  error: { text: 'You are not allowed to deploy', tone: 'error', blocks: [{ type: 'text', text: 'You are not allowed to deploy to prod.' }] },
};

describe('renderBlockKit', () => {
  it.each(Object.keys(samples))('renders a %s message (golden)', (kind) => {
    const rendered = renderBlockKit(samples[kind] as Message);
    expect(rendered).toMatchSnapshot();
    expect(blockProblems(rendered.blocks)).toEqual([]);
  });

  it('prefixes the tone emoji and escapes control characters but keeps Slack mentions live', () => {
    const { text, blocks } = renderBlockKit(samples.text as Message);
    expect(text.startsWith(':white_check_mark: ')).toBe(true);
    const section = blocks[0] as { text: { text: string } };
    expect(section.text.text).toBe(':white_check_mark: Deployed *sentiment* v3 to staging for <@U0ALICE> &amp; @Alice (accuracy &gt; 0.9)');
  });

  it('keeps a user group mention live (the on-call group Escalate pings), but not @channel or a malformed one', () => {
    const text = '<!subteam^S0ONCALL>: dee escalated it; <!subteam^S0OPS|@ops> too, not <!channel> nor <!subteam^x<y>';
    const { text: summary, blocks } = renderBlockKit({ text, tone: 'warning', blocks: [{ type: 'text', text }] });
    const rendered = ':warning: <!subteam^S0ONCALL>: dee escalated it; <!subteam^S0OPS|@ops> too, not &lt;!channel&gt; nor &lt;!subteam^x&lt;y&gt;';
    expect(summary).toBe(rendered);
    expect((blocks[0] as { text: { text: string } }).text.text).toBe(rendered);
  });

  it('puts at most 10 fields in a section', () => {
    const { blocks } = renderBlockKit(samples.fields as Message);
    const sizes = blocks.filter((b) => b.type === 'section').map((b) => (b as { fields?: unknown[] }).fields?.length);
    expect(sizes).toEqual([10, 2]);
  });

  it('gives buttons their command as value, a unique action_id, style and confirm dialog', () => {
    const { blocks } = renderBlockKit(samples.buttons as Message);
    const actions = blocks.find((b) => b.type === 'actions') as unknown as { elements: Array<Record<string, unknown>> };
    expect(actions.elements.map((e) => e.value)).toEqual(['confirm 4821', 'dismiss 4821', 'status']);
    expect(new Set(actions.elements.map((e) => e.action_id)).size).toBe(3);
    expect(actions.elements[0]).toMatchObject({ style: 'danger', confirm: { style: 'danger', confirm: { text: 'Deploy' } } });
  });

  it('renders an image as a note; the PNG itself is uploaded separately', () => {
    const { blocks } = renderBlockKit(samples.image as Message);
    expect(JSON.stringify(blocks)).toMatch(/Loss curve \(image attached in the thread\)/);
    expect(JSON.stringify(blocks)).not.toMatch(/image_url/);
  });
});

describe('renderBlockKit links', () => {
  const links: Message = {
    text: 'Firing: Error rate',
    tone: 'warning',
    blocks: [
      {
        type: 'links',
        links: [
          { label: 'source', url: 'http://prometheus:9090/graph?g0.expr=rate(x[5m])>0.05&g0.tab=1' },
          { label: 'a|b <c>', url: 'https://runbooks.example.com/a|b' },
          { label: 'runbook', url: 'javascript:alert(1)' },
        ],
      },
    ],
  };

  it('makes each http(s) link a live <url|label> in a context: & an entity, < and > encoded, | replaced', () => {
    const { blocks } = renderBlockKit(links);
    expect(blocks).toEqual([
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: ':warning: <http://prometheus:9090/graph?g0.expr=rate(x[5m])%3E0.05&amp;g0.tab=1|source>' },
          { type: 'mrkdwn', text: '<https://runbooks.example.com/a%7Cb|a\uFF5Cb &lt;c&gt;>' },
          { type: 'mrkdwn', text: 'runbook: javascript:alert(1)' },
        ],
      },
    ]);
    expect(blockProblems(blocks)).toEqual([]);
  });

  it('puts at most 10 links in a context and keeps only the label of a link too long for Slack', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ label: `l${i}`, url: `https://example.com/${i}` }));
    const { blocks } = renderBlockKit({ text: 't', tone: 'info', blocks: [{ type: 'links', links: [...many, { label: 'huge', url: `https://example.com/${'x'.repeat(4000)}` }] }] });
    expect(blocks.map((b) => (b as { elements: unknown[] }).elements.length)).toEqual([10, 2]);
    expect(JSON.stringify(blocks[1])).toContain('huge (link too long for Slack)');
    expect(blockProblems(blocks)).toEqual([]);
  });

  it('writes the same links in the plain-text fallback', () => {
    expect(renderPlainText(links)).toBe(
      ':warning: <http://prometheus:9090/graph?g0.expr=rate(x[5m])%3E0.05&amp;g0.tab=1|source> · <https://runbooks.example.com/a%7Cb|a\uFF5Cb &lt;c&gt;> · runbook: javascript:alert(1)',
    );
  });
});

describe('renderBlockKit within Slack limits', () => {
  const huge: Message = {
    text: 'x'.repeat(50_000),
    tone: 'info',
    blocks: [
      { type: 'text', text: Array.from({ length: 400 }, (_, i) => `line ${i} ${'lorem ipsum '.repeat(2)}`).join('\n').slice(0, 10_000) },
      { type: 'table', columns: ['job', 'status', 'requested by', 'detail'], rows: Array.from({ length: 200 }, (_, i) => [`j-${i}`, i % 2 ? 'completed' : 'failed', `user-${i}`, 'd'.repeat(60)]) },
      { type: 'buttons', buttons: Array.from({ length: 40 }, (_, i) => ({ label: `Button number ${i} ${'with a very long label '.repeat(5)}`, command: `status j-${i}` })) },
      { type: 'fields', fields: Array.from({ length: 35 }, (_, i) => ({ label: `f${i}`, value: 'v'.repeat(2500) })) },
      { type: 'select', placeholder: 'p'.repeat(300), options: Array.from({ length: 130 }, (_, i) => ({ label: `option ${i} ${'o'.repeat(100)}`, command: i === 3 ? `x${'y'.repeat(200)}` : `status j-${i}` })) },
      { type: 'context', text: 'c'.repeat(5000) },
    ],
  };

  it('keeps a huge message (10,000-char text, 200 table rows, 40 buttons) within every limit', () => {
    const { text, blocks } = renderBlockKit(huge);
    expect(blockProblems(blocks)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
    expect(text).toMatch(/… \(truncated, \d+ more\)$/);
    const json = JSON.stringify(blocks);
    // All 40 buttons survive, split over two actions blocks.
    expect((json.match(/"type":"button"/g) ?? []).length).toBe(40);
    expect(blocks.filter((b) => b.type === 'actions').length).toBe(3);
    expect(json).toMatch(/more options? not shown/);
  });

  it('cuts a message of more than 50 blocks with a note, keeping its buttons', () => {
    const blocks: Message['blocks'] = Array.from({ length: 120 }, (_, i) => ({ type: 'context', text: `step ${i}` }));
    blocks.push({ type: 'buttons', buttons: [{ label: 'Cancel', command: 'cancel j-1', style: 'danger' }] });
    const rendered = renderBlockKit({ text: 'many steps', tone: 'info', blocks });
    expect(blockProblems(rendered.blocks)).toEqual([]);
    expect(rendered.blocks).toHaveLength(SLACK_LIMITS.blocksPerMessage);
    expect(rendered.blocks.at(-1)).toMatchObject({ type: 'actions' });
    const texts = JSON.stringify(rendered.blocks);
    expect(texts).toMatch(/step 47"/);
    expect(texts).not.toMatch(/step 48"/);
    expect(texts).toMatch(/… \(truncated, 72 more blocks not shown\)/);
  });

  it('splits a 10,000-character text into sections of at most 3000 characters, losing nothing', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `word${i}`).join(' ').slice(0, 10_000);
    const { blocks } = renderBlockKit({ text: 't', tone: 'info', blocks: [{ type: 'text', text }] });
    const sections = blocks.map((b) => (b as { text: { text: string } }).text.text);
    expect(sections.every((s) => s.length <= SLACK_LIMITS.sectionText)).toBe(true);
    expect(sections.join(' ').replace(/^:information_source: /, '').replace(/\s+/g, ' ')).toBe(text);
  });

  it('never splits an entity or a mention across sections', () => {
    const text = '&<>'.repeat(2000) + ' <@U0ALICE>'.repeat(300);
    const { blocks } = renderBlockKit({ text: 't', tone: 'info', blocks: [{ type: 'text', text }] });
    for (const block of blocks) {
      const body = (block as { text: { text: string } }).text.text;
      expect(body).not.toMatch(/&[a-z]*$/);
      expect(body).not.toMatch(/^[a-z]*;/);
      expect(body).not.toMatch(/<@[A-Z0-9]*$/);
    }
  });

  it('leaves out a button whose command is over 2000 characters, and says so', () => {
    const { blocks } = renderBlockKit({ text: 't', tone: 'info', blocks: [{ type: 'buttons', buttons: [{ label: 'long', command: 'x'.repeat(2001) }, { label: 'ok', command: 'help' }] }] });
    expect(blockProblems(blocks)).toEqual([]);
    expect(JSON.stringify(blocks)).toMatch(/1 button left out/);
  });

  it('renders an empty message as something Slack accepts', () => {
    const { text, blocks } = renderBlockKit({ text: '', tone: 'info', blocks: [] });
    expect(blockProblems(blocks)).toEqual([]);
    expect(text.length).toBeGreaterThan(0);
  });
});

describe('renderPlainText (the invalid_blocks fallback)', () => {
  it('turns buttons into the commands to type', () => {
    expect(renderPlainText(samples.buttons as Message)).toBe(
      ':warning: This will deploy sentiment v1 to prod: prod is a protected environment.\nYes, deploy: type `confirm 4821` · No: type `dismiss 4821` · Status: type `status`',
    );
  });

  it('stays within 40,000 characters', () => {
    expect(renderPlainText({ text: '', tone: 'info', blocks: [{ type: 'text', text: 'y'.repeat(60_000) }] }).length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
  });
});
