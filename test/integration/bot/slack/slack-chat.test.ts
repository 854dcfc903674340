import { setTimeout as sleep } from 'node:timers/promises';
import { createSlackAdapter, type SlackAdapter } from '../../../../bot/slack/index.js';
import { defaultConfig, silentLogger, type ConversationRef, type DispatchResult, type Message } from '../../../../core/index.js';
import { SlackApiFake } from '../../../helpers/slack-api-fake.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3d2b1d90000000049454e44ae426082', 'hex');
const thread: ConversationRef = { platform: 'slack', workspace: 'T0001', channelId: 'C0OPS', threadId: '1700000000.000100' };
const message = (text: string, extra: Message['blocks'] = []): Message => ({ text, tone: 'info', blocks: [{ type: 'text', text }, ...extra] });
const noDispatch = async (): Promise<DispatchResult> => ({ outcome: 'completed', reply: message('unused') });

describe('Slack adapter: the chat port against the Web API fake', () => {
  let api: SlackApiFake;
  let adapter: SlackAdapter;

  beforeEach(async () => {
    api = await SlackApiFake.start();
    adapter = createSlackAdapter(
      { config: { ...defaultConfig(), slack: { signingSecret: 's', botToken: api.token, apiUrl: api.url } }, log: silentLogger, handle: noDispatch },
      { retryConfig: { retries: 3, minTimeout: 50, maxTimeout: 200 } },
    );
    await adapter.start();
  });

  afterEach(async () => {
    await adapter.stop();
    await api.close();
  });

  it('posts into the thread and returns channel:ts', async () => {
    const ref = await adapter.chat.post(thread, message('Job j-1 queued'));
    const [call] = api.callsTo('chat.postMessage');
    expect(ref).toBe(`C0OPS:${String((api.messages.values().next().value as { ts: string }).ts)}`);
    expect(call?.token).toBe(api.token);
    expect(call?.args).toMatchObject({ channel: 'C0OPS', thread_ts: '1700000000.000100', text: ':information_source: Job j-1 queued' });
  });

  it('edits in place at most once a second, and the last state always lands', async () => {
    const ref = await adapter.chat.post(thread, message('Job j-2 queued'));
    const started = Date.now();
    const updates: Promise<void>[] = [];
    for (let i = 1; i <= 20; i++) {
      updates.push(adapter.chat.update(thread, ref, message(`Job j-2 running ${i * 5}%`)));
      await sleep(120);
    }
    updates.push(adapter.chat.update(thread, ref, message('Job j-2 completed')));
    await Promise.all(updates);
    const calls = api.callsTo('chat.update');
    const times = [api.callsTo('chat.postMessage')[0]?.at ?? 0, ...calls.map((c) => c.at)];
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(950);
    expect(calls.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 1);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.at(-1)?.args.text).toBe(':information_source: Job j-2 completed');
    const [channel, ts] = ref.split(':');
    expect(api.messages.get(`${channel}:${ts}`)?.text).toBe(':information_source: Job j-2 completed');
  }, 15_000);

  it('uploads images with files.uploadV2 into the thread', async () => {
    const top: ConversationRef = { platform: 'slack', workspace: 'T0001', channelId: 'C0OPS' };
    const ref = await adapter.chat.post(top, message('Training finished', [{ type: 'image', png: new Uint8Array(PNG), alt: 'validation loss per epoch', title: 'Loss curve' }]));
    const ts = ref.split(':')[1];
    expect(api.calls.map((c) => c.method)).toEqual(['auth.test', 'chat.postMessage', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    expect(api.callsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({ filename: 'loss-curve.png', length: String(PNG.length), alt_text: 'validation loss per epoch' });
    const [upload] = [...api.uploads.values()];
    expect(upload?.bytes?.equals(PNG)).toBe(true);
    // A top-level message gets its image in its own thread.
    expect(upload).toMatchObject({ channelId: 'C0OPS', threadTs: ts, title: 'Loss curve' });

    // Updating the message does not upload the same image again; a new image is uploaded.
    await adapter.chat.update(top, ref, message('Training finished', [{ type: 'image', png: new Uint8Array(PNG), alt: 'validation loss per epoch', title: 'Loss curve' }]));
    expect(api.uploads.size).toBe(1);
    const second = Buffer.concat([PNG, Buffer.from([0])]);
    await adapter.chat.update(top, ref, message('Evaluated', [{ type: 'image', png: new Uint8Array(second), alt: 'confusion matrix' }]));
    expect(api.uploads.size).toBe(2);
    expect([...api.uploads.values()][1]).toMatchObject({ channelId: 'C0OPS', threadTs: ts, filename: 'confusion-matrix.png' });
  }, 15_000);

  it('waits out a 429 with Retry-After and then posts', async () => {
    api.rateLimit('chat.postMessage');
    const ref = await adapter.chat.post(thread, message('after the rate limit'));
    const calls = api.callsTo('chat.postMessage');
    expect(calls.map((c) => c.outcome)).toEqual(['ratelimited', 'ok']);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(ref).toMatch(/^C0OPS:\d+\.\d+$/);
  }, 15_000);

  it('retries a rate-limited update too, without giving up', async () => {
    const ref = await adapter.chat.post(thread, message('v1'));
    api.rateLimit('chat.update', 2);
    await adapter.chat.update(thread, ref, message('v2'));
    expect(api.callsTo('chat.update').map((c) => c.outcome)).toEqual(['ratelimited', 'ratelimited', 'ok']);
  }, 15_000);

  it('falls back to plain text when Slack answers invalid_blocks', async () => {
    const ask: Message = {
      text: 'Deploy to prod?',
      tone: 'warning',
      blocks: [
        { type: 'text', text: 'This will deploy sentiment v1 to prod.' },
        { type: 'buttons', buttons: [{ label: 'Yes, deploy', command: 'confirm 4821', style: 'danger' }, { label: 'No', command: 'dismiss 4821' }] },
      ],
    };
    api.failNext('chat.postMessage', 'invalid_blocks');
    const ref = await adapter.chat.post(thread, ask);
    const calls = api.callsTo('chat.postMessage');
    expect(calls.map((c) => c.outcome)).toEqual(['invalid_blocks', 'ok']);
    expect(calls[1]?.args.blocks).toBeUndefined();
    expect(calls[1]?.args.text).toBe(':warning: This will deploy sentiment v1 to prod.\nYes, deploy: type `confirm 4821` · No: type `dismiss 4821`');

    api.rejectBlocks = true;
    await adapter.chat.update(thread, ref, message('Dismissed'));
    const updates = api.callsTo('chat.update');
    expect(updates.map((c) => c.outcome)).toEqual(['invalid_blocks', 'ok']);
    expect(updates[1]?.args).toMatchObject({ text: ':information_source: Dismissed', blocks: '[]' });
  });

  it('posts the new state in the thread when the message can no longer be edited', async () => {
    await adapter.chat.update(thread, 'C0OPS:1699999999.000001', message('Job j-9 completed'));
    expect(api.callsTo('chat.update').map((c) => c.outcome)).toEqual(['message_not_found']);
    expect(api.callsTo('chat.postMessage')[0]?.args).toMatchObject({ channel: 'C0OPS', thread_ts: '1700000000.000100', text: ':information_source: Job j-9 completed' });
  });

  it('refuses to post to a conversation of another platform', async () => {
    await expect(adapter.chat.post({ platform: 'teams', workspace: 't', channelId: 'c' }, message('x'))).rejects.toThrow(/Slack adapter cannot post to a teams conversation/);
  });
});
