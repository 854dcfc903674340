import type { PlaygroundEntry } from '../../../../bot/playground/index.js';
import { eventually } from '../../../helpers/eventually.js';
import { startPlaygroundStack, type PlaygroundStack } from '../../../helpers/playground-stack.js';
import { SseReader } from '../../../helpers/playground-sse.js';

type Entry = PlaygroundEntry;

/** As the page sends it: a browser always adds the page's Origin to a POST. */
async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: { error?: string; ref?: string } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: new URL(url).origin, ...headers }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { error?: string; ref?: string } };
}

const commandsOf = (entry: Entry) => [...entry.html.matchAll(/data-command="([^"]+)"/g)].map((m) => m[1]!);

/**
 * One browser tab of the playground, as its page script behaves: it loads `/` (or `/?as=name`),
 * and every message and click it sends carries the name the page was rendered for.
 */
async function openTab(base: string, as?: string) {
  const page = await fetch(`${base}/${as === undefined ? '' : `?as=${encodeURIComponent(as)}`}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const actAs = /<body data-act-as="([^"]+)">/.exec(html)?.[1];
  const withName = <T extends object>(body: T) => (actAs === undefined ? body : { ...body, as: actAs });
  return {
    html,
    say: (text: string, threadRef?: string) => postJson(`${base}/playground/messages`, withName({ text, ...(threadRef ? { threadRef } : {}) })),
    click: (command: string, messageRef: string) => postJson(`${base}/playground/actions`, withName({ command, messageRef })),
  };
}

/**
 * The embedded default as one person tries it: people's words with a typed answer in the
 * question's thread, and a prod promotion approved from tabs acting as two other local users.
 * Real local deploy target and model servers, real HTTP and event stream.
 */
describe('the playground: natural language and approvals as other local users', () => {
  let stack: PlaygroundStack;
  let events: SseReader;
  const posted = (match: (e: Entry) => boolean) => events.waitFor<Entry>('posted', match, 60_000);
  const jobs = async (kind: string) => (await stack.runtime.store.jobs.list()).filter((j) => j.kind === kind);

  beforeAll(async () => {
    stack = await startPlaygroundStack({ datasetRows: 2000 });
    events = await SseReader.open(`${stack.url}/playground/events`);
    // Something to scale and deploy: sentiment v1, trained and serving in staging.
    const me = await openTab(stack.url);
    await me.say('train sentiment --dataset sentiment.csv --epochs 10');
    await events.waitFor<Entry>('updated', (e) => /train sentiment on sentiment.csv — completed/.test(e.html), 60_000);
    await me.say('deploy sentiment v1 to staging');
    await events.waitFor<Entry>('updated', (e) => /sentiment v1 is live in staging/.test(e.html), 60_000);
  }, 120_000);

  afterAll(async () => {
    await events?.close();
    await stack?.close();
  }, 60_000);

  it('asks which environment, takes “staging” typed in the thread, shows the command back and scales once on Yes', async () => {
    const me = await openTab(stack.url);
    const said = await me.say('please scale sentiment to four replicas');
    expect(said.status).toBe(202);
    const question = await posted((e) => e.fromBot && e.threadRef === said.json.ref && /Which environment should I scale in/.test(e.html));
    expect(commandsOf(question)).toEqual([expect.stringMatching(/^choose \w+ 1$/), expect.stringMatching(/^choose \w+ 2$/), expect.stringMatching(/^choose \w+ 3$/)]);
    expect(question.html).toMatch(/>staging</);
    expect(await jobs('scale')).toEqual([]);

    // A typed answer in the question's thread completes the half-built action.
    const answer = await me.say('staging', question.ref);
    expect(answer.status).toBe(202);
    await posted((e) => e.ref === answer.json.ref && e.threadRef === said.json.ref && e.author === 'alice');
    const confirm = await posted((e) => e.fromBot && e.threadRef === said.json.ref && /I understood your words as <code>scale sentiment in staging to 4<\/code>/.test(e.html));
    expect(confirm.html).toMatch(/This will scale sentiment in staging to 4 replicas/);
    expect(await jobs('scale')).toEqual([]);

    const yes = commandsOf(confirm).find((c) => c.startsWith('confirm '))!;
    expect((await me.click(yes, confirm.ref)).status).toBe(202);
    await eventually('the scale job', async () => (await jobs('scale')).find((j) => j.status === 'completed'), 60_000);
    const serving = await stack.runtime.deployer.target.status({ model: 'sentiment', env: 'staging' });
    expect(serving.live && serving.colours[serving.live].readyReplicas).toBe(4);

    // A second click runs nothing more; so does a late click on the question's buttons.
    await me.click(yes, confirm.ref);
    await posted((e) => e.fromBot && e.threadRef === said.json.ref && /There is no pending request/.test(e.html));
    await me.click(commandsOf(question)[2]!, question.ref);
    await posted((e) => e.fromBot && e.threadRef === said.json.ref && /already answered or has expired/.test(e.html));
    expect(await jobs('scale')).toHaveLength(1);
  }, 90_000);

  it('lets tabs act as lea and bob, who promote the OS user’s prod deploy; the OS user’s own click is refused', async () => {
    const me = await openTab(stack.url);
    const lea = await openTab(stack.url, 'lea');
    const bob = await openTab(stack.url, 'Bob');
    // Each page says whom it acts as.
    expect(me.html).toContain('Signed in as <b>alice</b>');
    expect(me.html).toContain('<body>');
    expect(lea.html).toContain('Acting as <b>lea</b>');
    expect(lea.html).toContain('acting as lea');
    expect(lea.html).toContain('Message #playground as lea');
    expect(bob.html).toContain('<body data-act-as="bob">');

    const asked = await me.say('deploy sentiment v1 to prod');
    const card = await posted((e) => e.fromBot && e.threadRef === asked.json.ref && /Promotion of sentiment v1 to prod/.test(e.html));
    const promote = commandsOf(card).find((c) => c.startsWith('approve d-'))!;
    expect(card.html).toMatch(/0 of 2 approvals/);

    // The OS user's own Promote: refused in the thread, no vote counted.
    await me.click(promote, card.ref);
    await posted((e) => e.fromBot && /you asked for this deployment, so you cannot approve or reject it yourself/.test(e.html));

    // lea's tab: her click is hers, and counts.
    const leaClick = await lea.click(promote, card.ref);
    await posted((e) => e.ref === leaClick.json.ref && e.author === 'lea');
    await posted((e) => e.fromBot && /lea approved sentiment v1 to prod \(1 of 2 approvals\)/.test(e.html));
    await events.waitFor<Entry>('updated', (e) => e.ref === card.ref && /1 of 2 approvals: lea/.test(e.html), 30_000);

    // bob's tab: the second approval promotes it.
    await bob.click(promote, card.ref);
    await posted((e) => e.fromBot && /Promoted: sentiment v1 to prod now serves \(\w+ colour\), approved by lea and bob/.test(e.html));
    const promoted = await events.waitFor<Entry>('updated', (e) => e.ref === card.ref && /Promoted by lea and bob/.test(e.html), 30_000);
    expect(commandsOf(promoted)).toEqual([]);
    expect((await stack.runtime.store.blueGreen.list({ model: 'sentiment', env: 'prod' }))[0]?.phase).toBe('live');

    const audit = await stack.runtime.store.audit.query({ limit: 50 });
    const votes = audit.filter((r) => r.text === promote).map((r) => [r.platform, r.userId, r.outcome]);
    expect(votes).toEqual(expect.arrayContaining([['local', 'alice', 'denied'], ['local', 'lea', 'completed'], ['local', 'bob', 'completed']]));
  }, 120_000);

  it('validates the name to act as, and acting as someone still needs the page’s own origin', async () => {
    for (const bad of ['Lea%20Adams', '%3Cscript%3E', '..', 'x'.repeat(33), '-lea']) {
      const page = await fetch(`${stack.url}/?as=${bad}`);
      expect([bad, page.status]).toEqual([bad, 400]);
      expect(((await page.json()) as { error: string }).error).toMatch(/a name to act as is 1 to 32 characters/);
    }
    expect((await fetch(`${stack.url}/?as=a&as=b`)).status).toBe(400);
    expect((await postJson(`${stack.url}/playground/messages`, { text: 'status', as: 'lea/../root' })).status).toBe(400);
    expect((await postJson(`${stack.url}/playground/actions`, { command: 'status', as: '' })).status).toBe(400);
    expect((await postJson(`${stack.url}/playground/messages`, { text: 'status', threadRef: 'm999999-gone' })).status).toBe(404);
    const crossSite = await postJson(`${stack.url}/playground/messages`, { text: 'status', as: 'mallory' }, { Origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(stack.workspace.history().some((e) => e.author === 'mallory')).toBe(false);
  });
});
