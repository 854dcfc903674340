import { request } from 'node:http';
import type { LocalWorkspaceListener } from '../../../../bot/index.js';
import { PLAYGROUND_CONVERSATION, type PlaygroundEntry } from '../../../../bot/playground/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { startPlaygroundStack, type PlaygroundStack } from '../../../helpers/playground-stack.js';
import { SseReader } from '../../../helpers/playground-sse.js';

type Entry = PlaygroundEntry;

/** As the page sends it: a browser always adds the page's Origin to a POST. */
async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: { error?: string; ref?: string } }> {
  const origin = new URL(url).origin;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { error?: string; ref?: string } };
}

const percentOf = (entry: Entry) => Number(/value="(\d+)"/.exec(entry.html)?.[1] ?? -1);

describe('the browser playground over HTTP', () => {
  let stack: PlaygroundStack;
  let activeSubscriptions = 0;

  beforeAll(async () => {
    // A short training run is enough here; the browser test uses a long one to watch progress move.
    stack = await startPlaygroundStack({ heartbeatMs: 100, datasetRows: 4000 });
    // Counts the event stream's workspace subscriptions, to see them released on disconnect.
    const subscribe = stack.workspace.subscribe.bind(stack.workspace);
    stack.workspace.subscribe = (listener: LocalWorkspaceListener) => {
      activeSubscriptions++;
      const unsubscribe = subscribe(listener);
      return () => {
        activeSubscriptions--;
        return unsubscribe();
      };
    };
  }, 30_000);

  afterAll(async () => {
    await stack.close();
  }, 30_000);

  it('serves the page with a nonce CSP and nosniff', async () => {
    const response = await fetch(`${stack.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    const page = await response.text();
    expect(page).toContain(`<script nonce="${nonce}">`);
    expect(page).toContain('Message #playground as alice');
  });

  it('streams a typed command and the job it starts: posted, then updated live to completion', async () => {
    const events = await SseReader.open(`${stack.url}/playground/events`);
    try {
      expect(events.status).toBe(200);
      expect(events.contentType).toMatch(/^text\/event-stream/);
      await events.waitFor<Entry[]>('history', () => true);

      const sent = await postJson(`${stack.url}/playground/messages`, { text: 'train sentiment --dataset sentiment.csv --epochs 60' });
      expect(sent.status).toBe(202);
      const typed = await events.waitFor<Entry>('posted', (e) => e.ref === sent.json.ref);
      expect(typed).toMatchObject({ author: 'alice', fromBot: false });
      expect(typed.html).toContain('train sentiment --dataset sentiment.csv --epochs 60');

      const job = await events.waitFor<Entry>('posted', (e) => e.fromBot && /Job j-/.test(e.html));
      expect(job.html).toMatch(/train sentiment on sentiment.csv — queued/);
      const progress = await events.waitFor<Entry>('updated', (e) => e.ref === job.ref && percentOf(e) >= 0);
      const done = await events.waitFor<Entry>('updated', (e) => e.ref === job.ref && /— completed/.test(e.html), 30_000);
      expect(done.html).toContain('tone-success');
      expect(done.html).toMatch(/<dl class="block fields">.*<dt>[^<]*accuracy<\/dt>/);
      expect(done.html).not.toContain('data-command="cancel');
      expect(progress.html).toContain('data-command="cancel');

      const later = await SseReader.open(`${stack.url}/playground/events`);
      const history = await later.waitFor<Entry[]>('history', () => true);
      await later.close();
      expect(history.map((e) => e.ref)).toEqual(expect.arrayContaining([typed.ref, job.ref]));
      expect(history.find((e) => e.ref === job.ref)?.html).toMatch(/— completed/);
      expect(events.comments).toContain('heartbeat');
    } finally {
      await events.close();
    }
    await eventually('the stream to let go of the workspace', () => activeSubscriptions === 0);
  }, 40_000);

  it('answers a typed command in its thread, and runs a button’s command in that thread (Cancel)', async () => {
    const events = await SseReader.open(`${stack.url}/playground/events`);
    try {
      const typed = await postJson(`${stack.url}/playground/messages`, { text: 'train slow --dataset sentiment.csv --epochs 500' });
      const job = await events.waitFor<Entry>('updated', (e) => /train slow/.test(e.html) && percentOf(e) >= 0);
      expect(job.threadRef).toBe(typed.json.ref);
      const command = /data-command="(cancel j-[0-9a-z]+)"/.exec(job.html)?.[1] as string;
      const clicked = await postJson(`${stack.url}/playground/actions`, { command, messageRef: job.ref });
      expect(clicked.status).toBe(202);
      const echoed = await events.waitFor<Entry>('posted', (e) => e.ref === clicked.json.ref);
      expect(echoed).toMatchObject({ threadRef: typed.json.ref, author: 'alice' });
      await events.waitFor<Entry>('updated', (e) => e.ref === job.ref && /— cancelled/.test(e.html));
      const reply = await events.waitFor<Entry>('posted', (e) => e.fromBot && e.threadRef === typed.json.ref && /stop job/.test(e.html));
      expect(reply.html).toMatch(/stop job j-/);
    } finally {
      await events.close();
    }
  }, 30_000);

  it('serves an image block’s PNG bytes', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const ref = await stack.workspace.post(PLAYGROUND_CONVERSATION, {
      text: 'a chart',
      tone: 'info',
      blocks: [{ type: 'text', text: 'a chart' }, { type: 'image', png, alt: 'the chart' }],
    });
    const image = await fetch(`${stack.url}/playground/images/${ref}/1`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(png);
    expect((await fetch(`${stack.url}/playground/images/${ref}/0`)).status).toBe(404);
    expect((await fetch(`${stack.url}/playground/images/m999999/0`)).status).toBe(404);
    expect((await fetch(`${stack.url}/playground/images/${ref}/-1`)).status).toBe(400);
  });

  it('rejects empty, malformed, oversized and cross-site requests with a JSON error', async () => {
    const messages = `${stack.url}/playground/messages`;
    for (const body of [{}, { text: '' }, { text: '   ' }, { text: 42 }, { text: 'x'.repeat(4001) }, '{"text":']) {
      const reply = await postJson(messages, body);
      expect([JSON.stringify(body).slice(0, 40), reply.status]).toEqual([JSON.stringify(body).slice(0, 40), 400]);
      expect(reply.json.error).toEqual(expect.any(String));
    }
    const origin = new URL(stack.url).origin;
    const noBody = await fetch(messages, { method: 'POST', headers: { Origin: origin } });
    expect(noBody.status).toBe(400);
    const formPost = await fetch(messages, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: origin }, body: '{"text":"deploy"}' });
    expect(formPost.status).toBe(400);
    const huge = await postJson(messages, { text: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(huge.json.error).toMatch(/larger than 16 KB/);
    expect((await postJson(`${stack.url}/playground/actions`, { messageRef: 'm1' })).status).toBe(400);

    const crossSite = await postJson(messages, { text: 'deploy sentiment v1 to prod' }, { Origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const rebound = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(stack.url);
      request({ host: '127.0.0.1', port, path: '/playground/events', headers: { Host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(rebound).toBe(403);
    expect(stack.workspace.history().some((e) => /deploy sentiment v1 to prod|x{100}/.test(e.message.text))).toBe(false);
  });
});
