import type { Message, MessageBlock } from '../../../../core/index.js';
import { renderMessageHtml } from '../../../../bot/playground/index.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const imageAt = (index: number) => `/playground/images/m7/${index}?v=x`;

function html(block: MessageBlock, tone: Message['tone'] = 'info'): string {
  return renderMessageHtml({ text: 'summary', tone, blocks: [block] }, imageAt);
}

describe('renderMessageHtml golden output', () => {
  it('renders a text block with code spans and mentions', () => {
    expect(html({ type: 'text', text: 'Ask <@U1> to run `status`', mentions: [{ userId: 'U1', displayName: 'Bob' }] })).toBe(
      '<div class="message tone-info"><p class="block text">Ask <span class="mention">@Bob</span> to run <code>status</code></p></div>',
    );
  });

  it('leads the first text block with the tone', () => {
    expect(renderMessageHtml({ text: 'x', tone: 'success', blocks: [{ type: 'text', text: 'Done' }, { type: 'text', text: 'More' }] })).toBe(
      '<div class="message tone-success"><p class="block text"><span class="tone-mark" role="img" aria-label="success">✓</span> Done</p><p class="block text">More</p></div>',
    );
    expect(html({ type: 'context', text: 'no text block' }, 'error')).toBe(
      '<div class="message tone-error"><span class="tone-mark" role="img" aria-label="error">✕</span><p class="block context">no text block</p></div>',
    );
  });

  it('turns core’s progress line into a progress bar', () => {
    expect(html({ type: 'text', text: '████░░░░░░ 42% epoch 25/60 loss 0.31' })).toBe(
      '<div class="message tone-info"><div class="block progress"><progress max="100" value="42">42%</progress>' +
        '<span class="progress-label"><strong>42%</strong> epoch 25/60 loss 0.31</span></div></div>',
    );
  });

  it('renders fields', () => {
    expect(html({ type: 'fields', fields: [{ label: 'accuracy', value: '0.97' }, { label: 'epochs', value: '60' }] })).toBe(
      '<div class="message tone-info"><dl class="block fields"><div class="field"><dt>accuracy</dt><dd>0.97</dd></div>' +
        '<div class="field"><dt>epochs</dt><dd>60</dd></div></dl></div>',
    );
  });

  it('renders a table, padding short rows', () => {
    expect(html({ type: 'table', columns: ['model', 'env'], rows: [['sentiment', 'prod'], ['spam']] })).toBe(
      '<div class="message tone-info"><div class="block table-wrap"><table><thead><tr><th scope="col">model</th><th scope="col">env</th></tr></thead>' +
        '<tbody><tr><td>sentiment</td><td>prod</td></tr><tr><td>spam</td><td></td></tr></tbody></table></div></div>',
    );
  });

  it('renders context', () => {
    expect(html({ type: 'context', text: 'requested by alice · worker w-1' })).toBe(
      '<div class="message tone-info"><p class="block context">requested by alice · worker w-1</p></div>',
    );
  });

  it('renders http(s) links as anchors opening a new tab without opener or referrer, anything else as text', () => {
    const links: MessageBlock = {
      type: 'links',
      links: [
        { label: 'source', url: 'http://prometheus:9090/graph?g0.expr=a&b="c"' },
        { label: '<runbook>', url: 'javascript:alert(1)' },
      ],
    };
    expect(html(links)).toBe(
      '<div class="message tone-info"><p class="block context links">' +
        '<a href="http://prometheus:9090/graph?g0.expr=a&amp;b=%22c%22" target="_blank" rel="noopener noreferrer">source</a> · ' +
        '<span class="link-text">&lt;runbook&gt;: javascript:alert(1)</span></p></div>',
    );
  });

  it('renders buttons with their styles and confirm dialogs', () => {
    const block: MessageBlock = {
      type: 'buttons',
      buttons: [
        { label: 'Yes, deploy', command: 'confirm 4821', style: 'danger', confirm: { title: 'Deploy?', text: 'To prod.', confirmLabel: 'Deploy', denyLabel: 'Back' } },
        { label: 'Retry', command: 'train sentiment', style: 'primary' },
        { label: 'No', command: 'dismiss 4821' },
      ],
    };
    expect(html(block)).toBe(
      '<div class="message tone-info"><div class="block actions">' +
        '<button type="button" class="btn btn-danger" data-command="confirm 4821" data-confirm-title="Deploy?" data-confirm-text="To prod." data-confirm-label="Deploy" data-deny-label="Back">Yes, deploy</button>' +
        '<button type="button" class="btn btn-primary" data-command="train sentiment">Retry</button>' +
        '<button type="button" class="btn" data-command="dismiss 4821">No</button></div></div>',
    );
  });

  it('renders a select menu', () => {
    const block: MessageBlock = { type: 'select', placeholder: 'Pick a version', options: [{ label: 'v1', command: 'deploy sentiment v1 to dev' }] };
    expect(html(block)).toBe(
      '<div class="message tone-info"><div class="block actions"><select class="select" data-select aria-label="Pick a version">' +
        '<option value="" selected disabled>Pick a version</option><option value="deploy sentiment v1 to dev">v1</option></select></div></div>',
    );
  });

  it('renders an image from its URL, with alt text and title', () => {
    expect(html({ type: 'image', png: PNG, alt: 'loss per epoch', title: 'Training curve' })).toBe(
      '<div class="message tone-info"><figure class="block image"><img src="/playground/images/m7/0?v=x" alt="loss per epoch">' +
        '<figcaption>Training curve</figcaption></figure></div>',
    );
  });

  it('inlines images when there is no server to fetch them from', () => {
    const out = renderMessageHtml({ text: 'x', tone: 'info', blocks: [{ type: 'image', png: PNG, alt: 'a' }] });
    expect(out).toContain('<img src="data:image/png;base64,iVBORw==" alt="a">');
  });

  it('falls back to the summary text when there are no blocks', () => {
    expect(renderMessageHtml({ text: 'just text', tone: 'warning', blocks: [] })).toBe(
      '<div class="message tone-warning"><p class="block text"><span class="tone-mark" role="img" aria-label="warning">!</span> just text</p></div>',
    );
  });
});

describe('renderMessageHtml escaping', () => {
  const evil = `<script>alert("x")</script><img src=x onerror='y'>&amp;`;
  const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;';

  it('escapes every text a message carries', () => {
    const out = renderMessageHtml(
      {
        text: evil,
        tone: 'info',
        blocks: [
          { type: 'text', text: evil, mentions: [{ userId: 'U1', displayName: evil }] },
          { type: 'text', text: `████░░░░░░ 40% ${evil}` },
          { type: 'fields', fields: [{ label: evil, value: evil }] },
          { type: 'table', columns: [evil], rows: [[evil]] },
          { type: 'context', text: evil },
          { type: 'buttons', buttons: [{ label: evil, command: evil, confirm: { title: evil, text: evil, confirmLabel: evil, denyLabel: evil } }] },
          { type: 'select', placeholder: evil, options: [{ label: evil, command: evil }] },
          { type: 'image', png: PNG, alt: evil, title: evil },
        ],
      },
      () => `/x?a="b"&c=<d>`,
    );
    expect(out).not.toMatch(/<script|<img src=x|onerror='/);
    // 1 text + 1 progress + 2 fields + 2 table + 1 context + 6 button + 4 select (aria-label, placeholder, value, label) + 2 image
    expect(out.split(escaped).length - 1).toBe(19);
    expect(out).toContain('src="/x?a=&quot;b&quot;&amp;c=&lt;d&gt;"');
  });

  it('renders only listed mentions, and escapes their names', () => {
    const out = renderMessageHtml({
      text: 'x',
      tone: 'info',
      blocks: [{ type: 'text', text: 'hi <@U1> and <@U2><b>', mentions: [{ userId: 'U1', displayName: '<i>Bob</i>' }] }],
    });
    expect(out).toContain('hi <span class="mention">@&lt;i&gt;Bob&lt;/i&gt;</span> and &lt;@U2&gt;&lt;b&gt;');
  });

  it('keeps code spans from opening markup', () => {
    expect(renderMessageHtml({ text: 'x', tone: 'info', blocks: [{ type: 'text', text: 'run `<b>` now' }] })).toContain('run <code>&lt;b&gt;</code> now');
  });
});
