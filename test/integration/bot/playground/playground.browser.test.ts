import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Resvg } from '@resvg/resvg-js';
import { PLAYGROUND_CONVERSATION } from '../../../../bot/playground/index.js';
import { playgroundPage } from '../../../../bot/playground/playground-page.js';
import { eventually } from '../../../helpers/eventually.js';
import { requireService } from '../../../helpers/required-service.js';
import { startPlaygroundStack, type PlaygroundStack } from '../../../helpers/playground-stack.js';

const CHROMIUM = '/usr/bin/chromium';
// .ci/run installs Debian's chromium; without it there is no browser to drive.
const hasChromium = requireService(existsSync(CHROMIUM), `the playground browser test needs ${CHROMIUM} (apt-get install -y chromium)`);
const describeWithBrowser = hasChromium ? describe : describe.skip;

/** The percentage shown by the one job message, read from the page. */
async function jobPercent(page: Page, ref: string): Promise<number> {
  const text = (await page.locator(`[data-ref="${ref}"] .progress-label strong`).first().textContent({ timeout: 1000 }).catch(() => null)) ?? '';
  return Number.parseInt(text, 10);
}

describeWithBrowser('the playground in a browser', () => {
  let stack: PlaygroundStack;
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    stack = await startPlaygroundStack();
    profile = mkdtempSync(join(tmpdir(), 'opsbot-chromium-'));
    // A fresh profile per run, so nothing cached or remembered leaks between runs.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 1000 },
      deviceScaleFactor: 1,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  }, 30_000);

  it('trains with live progress, confirms a prod deploy by button, and looks right', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(stack.url);
    await page.locator('#status.live').waitFor({ timeout: 10_000 });

    const input = page.locator('#composer-input');
    await input.fill('train sentiment --dataset sentiment.csv --epochs 60');
    await input.press('Enter');
    await page.locator('.from-user', { hasText: 'train sentiment --dataset sentiment.csv --epochs 60' }).waitFor();
    const job = page.locator('.from-bot', { hasText: /Job j-\w+: train sentiment on sentiment.csv/ });
    await job.waitFor({ timeout: 10_000 });
    const ref = (await job.getAttribute('data-ref')) as string;
    const isCompleted = async () => ((await job.locator(':scope > .entry-main > .entry-body').textContent()) ?? '').includes('— completed');

    // The same element must move: a percentage, then a higher one, on the element first seen.
    const handle = await job.elementHandle();
    const startPercent = await eventually('a progress bar', async () => {
      const percent = await jobPercent(page, ref);
      return Number.isNaN(percent) ? undefined : percent;
    }, 20_000);
    await eventually('the progress bar to move', async () => (await jobPercent(page, ref)) > startPercent || (await isCompleted()), 20_000);
    if (!(await isCompleted())) expect(await jobPercent(page, ref)).toBeGreaterThan(startPercent);
    expect(await handle?.evaluate((node) => node.isConnected)).toBe(true);
    expect(await page.locator(`[data-ref="${ref}"]`).count()).toBe(1);
    await page.locator(`[data-ref="${ref}"]`, { hasText: '— completed' }).waitFor({ timeout: 30_000 });
    expect((await page.locator(`[data-ref="${ref}"] .fields dt`).allTextContents()).join(' ')).toMatch(/accuracy/);
    // The runtime follows a completed training job with its curve, served by the image route.
    const curve = page.locator('.from-bot img[alt*="loss"]').first();
    await curve.waitFor({ timeout: 15_000 });
    await eventually('the training curve to load', () => curve.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0));

    await input.fill('deploy sentiment v1 to staging');
    await input.press('Enter');
    const staging = page.locator('.from-bot', { hasText: /Job j-\w+: deploy sentiment v1 to staging/ });
    await staging.locator('.tone-success').waitFor({ timeout: 30_000 });
    expect(await staging.textContent()).toMatch(/sentiment v1 is live in staging on the blue colour, its first deployment there, at http:\/\/127\.0\.0\.1:\d+/);

    // prod waits for approvers: the card shows the evaluation and the checks, with Promote and Reject.
    await input.fill('deploy sentiment v1 to prod');
    await input.press('Enter');
    const card = page.locator('.from-bot', { hasText: 'Promotion of sentiment v1 to prod' });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.textContent()).toMatch(/0 of 2 approvals/);
    // The requester's own Promote is refused, in the thread.
    await card.getByRole('button', { name: 'Promote' }).click();
    await page.locator('.from-bot', { hasText: 'you asked for this deployment, so you cannot approve or reject it yourself' }).waitFor();

    // The README screenshot: a completed training job, its curve, a deploy and a prod approval card.
    await input.blur();
    await page.mouse.move(640, 20); // no hover highlight in the picture
    // Tall enough to show the whole conversation, however long core's messages grow.
    const hidden = await page.locator('#feed').evaluate((feed: { scrollHeight: number; clientHeight: number }) => feed.scrollHeight - feed.clientHeight);
    if (hidden > 0) await page.setViewportSize({ width: 1280, height: Math.min(2400, 1000 + hidden) });
    await page.waitForTimeout(1300); // let the last update's highlight fade
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/playground.png' });
    // The committed README picture is refreshed on request only, so test runs leave the tree clean.
    if (process.env.OPSBOT_UPDATE_SCREENSHOT === '1') {
      mkdirSync('docs', { recursive: true });
      copyFileSync('test-results/playground.png', 'docs/playground.png');
    }

    // Typed text is shown as text, never run as markup.
    const botMessages = await page.locator('.from-bot').count();
    await input.fill('<img src=x onerror="document.title=1"><script>document.title=2</script>');
    await input.press('Enter');
    await page.locator('.from-user', { hasText: '<script>document.title=2</script>' }).waitFor();
    await eventually('a reply', async () => (await page.locator('.from-bot').count()) > botMessages);
    expect(await page.locator('.entry-body script, .entry-body img[src="x"]').count()).toBe(0);
    expect(await page.title()).toBe('#playground · opsbot');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows images, asks before a confirm button runs, and runs select choices in the thread', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const ref = await stack.workspace.post(PLAYGROUND_CONVERSATION, {
      text: 'widgets',
      tone: 'info',
      blocks: [
        { type: 'text', text: 'Pick one' },
        { type: 'image', png, alt: 'a one-pixel chart', title: 'Chart' },
        {
          type: 'buttons',
          buttons: [{ label: 'Show status', command: 'status', style: 'primary', confirm: { title: 'Really?', text: 'It lists jobs.', confirmLabel: 'Show', denyLabel: 'Back' } }],
        },
        { type: 'select', placeholder: 'Help on…', options: [{ label: 'deploy', command: 'help deploy' }] },
      ],
    });
    const page = await browser.newPage();
    await page.goto(stack.url);
    const message = page.locator(`[data-ref="${ref}"]`);
    await message.waitFor();
    const image = message.locator('img[alt="a one-pixel chart"]');
    await eventually('the image to load', () => image.evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth === 1));

    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await message.getByRole('button', { name: 'Show status' }).click();
    await eventually('the confirm dialog', () => dialogs.length === 1);
    expect(dialogs[0]).toContain('Really?');
    page.once('dialog', (dialog) => void dialog.accept());
    await message.getByRole('button', { name: 'Show status' }).click();
    await message.locator('.thread .from-user', { hasText: 'status' }).waitFor();
    expect(await message.locator('.thread .from-user').count()).toBe(1);
    await message.locator('.thread .from-bot').first().waitFor();

    await message.locator('select[data-select]').selectOption('help deploy');
    await message.locator('.thread .from-user', { hasText: 'help deploy' }).waitFor();
    await message.locator('.thread .from-bot', { hasText: /deploy/ }).nth(0).waitFor();

    // Dropped streams (a restart, a proxy timeout) come back by themselves, with what was missed.
    await stack.adapter.stop();
    await page.locator('#status.reconnecting').waitFor({ timeout: 5_000 });
    const missed = await stack.workspace.post(PLAYGROUND_CONVERSATION, { text: 'missed', tone: 'info', blocks: [{ type: 'text', text: 'posted while away' }] });
    await page.locator('#status.live').waitFor({ timeout: 10_000 });
    await page.locator(`[data-ref="${missed}"]`, { hasText: 'posted while away' }).waitFor();
    expect(await page.locator(`[data-ref="${ref}"]`).count()).toBe(1);
    await page.close();
  }, 30_000);
  it('welcomes with a command that works, each code chip on one line at any width', async () => {
    const page = await browser.newPage();
    // Layout only: the page as served, without a server behind it.
    await page.setContent(playgroundPage({ nonce: 'n', userName: 'alice' }));
    const welcome = page.locator('#empty');
    expect(await welcome.textContent()).toContain('train sentiment --dataset data/sentiment.csv');
    expect(await welcome.textContent()).toMatch(/its own conversation/);
    const broken: string[] = [];
    for (let width = 240; width <= 520; width += 8) {
      const lines = await welcome.evaluate((node: { style: { maxWidth: string }; querySelectorAll(s: string): ArrayLike<{ getClientRects(): { length: number } }> }, px: number) => {
        node.style.maxWidth = `${px}px`;
        return Array.from(node.querySelectorAll('code'), (code) => code.getClientRects().length);
      }, width);
      if (lines.some((count) => count > 1)) broken.push(`${width}px: ${lines.join(',')}`);
    }
    expect(broken).toEqual([]);
    await page.close();
  });

  it('scrolls to a newly posted chart once it has loaded', async () => {
    for (let i = 0; i < 40; i++) {
      await stack.workspace.post(PLAYGROUND_CONVERSATION, { text: `filler ${i}`, tone: 'info', blocks: [{ type: 'text', text: `filler ${i}` }] });
    }
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.goto(stack.url);
    await page.locator('#status.live').waitFor({ timeout: 10_000 });
    const feed = page.locator('#feed');
    const gap = () => feed.evaluate((node: { scrollHeight: number; scrollTop: number; clientHeight: number }) => node.scrollHeight - node.scrollTop - node.clientHeight);
    await eventually('the feed at its end', async () => (await gap()) <= 1);

    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320"><rect width="480" height="320" fill="#36c"/><text x="10" y="40">${Date.now()}</text></svg>`;
    const png = new Resvg(svg).render().asPng();
    const ref = await stack.workspace.post(PLAYGROUND_CONVERSATION, {
      text: 'a tall chart',
      tone: 'info',
      blocks: [{ type: 'text', text: 'a tall chart' }, { type: 'image', png, alt: 'a tall chart' }],
    });
    const image = page.locator(`[data-ref="${ref}"] img`);
    await eventually('the chart to load', () => image.evaluate((img: { complete: boolean; naturalHeight: number }) => img.complete && img.naturalHeight > 0));
    expect(await image.evaluate((img: { offsetHeight: number }) => img.offsetHeight)).toBeGreaterThan(200);
    await eventually('the feed to follow the chart', async () => (await gap()) <= 1, 5_000).catch(() => undefined);
    expect(await gap()).toBeLessThanOrEqual(1);
    await page.close();
  });
  it('keeps a command’s replies in order under it: its job, its chart, then what its buttons started', async () => {
    const page = await browser.newPage();
    await page.goto(stack.url);
    await page.locator('#status.live').waitFor({ timeout: 10_000 });
    const input = page.locator('#composer-input');
    await input.fill('train ordered --dataset sentiment.csv --epochs 3');
    await input.press('Enter');
    const typed = page.locator('#messages > .from-user', { hasText: 'train ordered' }).last();
    const replies = typed.locator(':scope > .entry-main > .thread > .replies');
    await replies.locator('img[alt*="loss and accuracy"]').waitFor({ timeout: 30_000 });
    await replies.getByRole('button', { name: 'Evaluate' }).first().click();
    await replies.locator('img[alt*="counts per actual and predicted"]').waitFor({ timeout: 30_000 });
    const order = await replies.locator(':scope > article').evaluateAll((nodes: Array<{ className: string; textContent: string | null; querySelector(s: string): unknown }>) =>
      nodes.map((node) => {
        const text = node.textContent ?? '';
        if (node.querySelector('img[alt*="loss and accuracy"]')) return 'training curve';
        if (node.querySelector('img[alt*="counts per actual"]')) return 'confusion matrix';
        if (/Job j-\w+: train ordered/.test(text)) return 'train job';
        if (/Job j-\w+: evaluate ordered/.test(text)) return 'evaluate job';
        return node.className.includes('from-user') ? `typed: ${text.replace(/\s+/g, ' ').trim().slice(-24)}` : 'other';
      }),
    );
    expect(order).toEqual(['train job', 'training curve', expect.stringMatching(/^typed: .*evaluate ordered v1$/), 'evaluate job', 'confusion matrix']);
    // Nothing of this command is left in the channel below it.
    expect(await page.locator('#messages > .from-bot', { hasText: /ordered/ }).count()).toBe(0);
    await page.close();
  }, 60_000);
});
