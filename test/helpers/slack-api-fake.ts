import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, for assertions. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** The bearer token (or `token` field) the call carried. */
  token?: string;
  at: number;
  /** What the fake answered: `ok`, an error code, or `ratelimited` (HTTP 429). */
  outcome: string;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks?: unknown[];
  /** Every state of the message, first post included. */
  history: Array<{ text: string; blocks?: unknown[] }>;
}

export interface FakeUpload {
  fileId: string;
  filename: string;
  length: number;
  altText?: string;
  bytes?: Buffer;
  channelId?: string;
  threadTs?: string;
  title?: string;
}

export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
}

export interface SlackApiFakeOptions {
  token?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
}

type Answer = { status?: number; headers?: Record<string, string>; body: Record<string, unknown> };

/**
 * A local stand-in for Slack's Web API at `/api/<method>`, answering with Slack's shapes
 * (`{ok:true,…}` / `{ok:false,error}` with HTTP 200, 429 + Retry-After when rate limited).
 * It checks the bearer token and Block Kit limits the way Slack does, and records every call.
 */
export class SlackApiFake {
  readonly calls: RecordedCall[] = [];
  readonly messages = new Map<string, FakeMessage>();
  readonly uploads = new Map<string, FakeUpload>();
  readonly users = new Map<string, FakeUser>();
  /** Refuse every call that carries blocks with `invalid_blocks`. */
  rejectBlocks = false;
  private readonly rateLimited = new Map<string, number>();
  private readonly failures = new Map<string, string[]>();
  private readonly holds = new Map<string, Promise<void>>();
  private tsCounter = 0;
  private fileCounter = 0;
  private server?: Server;
  readonly token: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  /** Base URL for `slackApiUrl`, ending in `/api/`. */
  url = '';

  /** A response_url on this fake, as Slack puts in slash commands. */
  get responseUrl(): string {
    return `${this.url.replace(/\/api\/$/, '')}/commands/T0001/1234/abcd`;
  }
  /** What apps.connections.open hands out (Socket Mode): a WebSocket URL. */
  socketUrl?: string;

  constructor(options: SlackApiFakeOptions = {}) {
    this.token = options.token ?? 'xoxb-test-token';
    this.teamId = options.teamId ?? 'T0001';
    this.botUserId = options.botUserId ?? 'UBOT0001';
    this.botId = options.botId ?? 'B0001';
  }

  static async start(options?: SlackApiFakeOptions): Promise<SlackApiFake> {
    const fake = new SlackApiFake(options);
    await fake.listen();
    return fake;
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next `times` calls of `method` get HTTP 429 with `Retry-After: seconds`. */
  rateLimit(method: string, times = 1): void {
    this.rateLimited.set(method, (this.rateLimited.get(method) ?? 0) + times);
  }

  /** The next call of `method` answers `{ok:false, error}`. */
  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** Calls of `method` wait, unanswered, until the returned function is called (a slow Slack). */
  hold(method: string): () => void {
    let release = () => {};
    this.holds.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(method);
      release();
    };
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Messages in a thread (the parent included), oldest first. */
  thread(channel: string, threadTs: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel && (m.ts === threadTs || m.threadTs === threadTs));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (path.startsWith('/upload/')) return this.receiveUpload(path.slice('/upload/'.length), req, raw, res);
    if (path.startsWith('/commands/')) {
      // A slash command's response_url (hooks.slack.com/commands/… on Slack).
      this.calls.push({ method: 'response_url', args: JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>, at: Date.now(), outcome: 'ok' });
      return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    }
    if (!path.startsWith('/api/') || req.method !== 'POST') return send(res, { status: 404, body: { ok: false, error: 'not_found' } });
    const method = path.slice('/api/'.length);
    await this.holds.get(method);
    const args = await parseArgs(req.headers['content-type'], raw);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    const answer = this.answer(method, args, token);
    this.calls.push({ method, args, token, at: Date.now(), outcome: answer.status === 429 ? 'ratelimited' : answer.body.ok ? 'ok' : String(answer.body.error) });
    send(res, answer);
  }

  private answer(method: string, args: Record<string, unknown>, token: string | undefined): Answer {
    const limited = this.rateLimited.get(method) ?? 0;
    if (limited > 0) {
      this.rateLimited.set(method, limited - 1);
      return { status: 429, headers: { 'Retry-After': '1' }, body: { ok: false, error: 'ratelimited' } };
    }
    if (!token) return fail('not_authed');
    if (token !== this.token && !(method === 'apps.connections.open' && token.startsWith('xapp-'))) return fail('invalid_auth');
    const queued = this.failures.get(method);
    if (queued && queued.length > 0) return fail(queued.shift() as string);
    switch (method) {
      case 'auth.test':
        return ok({ url: 'https://acme.slack.com/', team: 'Acme', user: 'opsbot', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId, is_enterprise_install: false });
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.update':
        return this.updateMessage(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'files.getUploadURLExternal':
        return this.uploadUrl(args);
      case 'files.completeUploadExternal':
        return this.completeUpload(args);
      case 'users.info':
        return this.userInfo(args);
      case 'apps.connections.open':
        if (!token.startsWith('xapp-')) return fail('not_allowed_token_type');
        return this.socketUrl ? ok({ url: this.socketUrl }) : fail('internal_error');
      default:
        return fail('unknown_method');
    }
  }

  private postMessage(args: Record<string, unknown>): Answer {
    const channel = str(args.channel);
    if (!channel) return fail('channel_not_found');
    const blocks = jsonArray(args.blocks);
    const text = str(args.text) ?? '';
    if (!text && !blocks?.length) return fail('no_text');
    const refused = this.checkBlocks(blocks);
    if (refused) return refused;
    const ts = this.nextTs();
    const threadTs = str(args.thread_ts);
    const message: FakeMessage = { channel, ts, threadTs, text, blocks, history: [{ text, blocks }] };
    this.messages.set(`${channel}:${ts}`, message);
    return ok({ channel, ts, message: { type: 'message', user: this.botUserId, bot_id: this.botId, text, blocks, ts, thread_ts: threadTs } });
  }

  /** Only `user` sees it, and it cannot be edited: recorded, not kept as a message. */
  private postEphemeral(args: Record<string, unknown>): Answer {
    if (!str(args.channel)) return fail('channel_not_found');
    if (!str(args.user)) return fail('user_not_found');
    if (!str(args.text) && !jsonArray(args.blocks)?.length) return fail('no_text');
    return ok({ message_ts: this.nextTs() });
  }

  private updateMessage(args: Record<string, unknown>): Answer {
    const channel = str(args.channel);
    const ts = str(args.ts);
    const message = channel && ts ? this.messages.get(`${channel}:${ts}`) : undefined;
    if (!message) return fail('message_not_found');
    const blocks = jsonArray(args.blocks);
    const refused = this.checkBlocks(blocks);
    if (refused) return refused;
    message.text = str(args.text) ?? message.text;
    if (blocks !== undefined) message.blocks = blocks.length > 0 ? blocks : undefined;
    message.history.push({ text: message.text, blocks: message.blocks });
    return ok({ channel, ts, text: message.text, message: { text: message.text, blocks: message.blocks } });
  }

  private uploadUrl(args: Record<string, unknown>): Answer {
    const filename = str(args.filename);
    const length = Number(args.length);
    if (!filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
    const fileId = `F${String(++this.fileCounter).padStart(6, '0')}`;
    this.uploads.set(fileId, { fileId, filename, length, altText: str(args.alt_text) });
    return ok({ upload_url: `${this.url.replace(/\/api\/$/, '')}/upload/${fileId}`, file_id: fileId });
  }

  private async receiveUpload(fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const upload = this.uploads.get(fileId);
    this.calls.push({ method: 'upload', args: { fileId, bytes: raw.length }, at: Date.now(), outcome: upload ? 'ok' : 'not_found' });
    if (!upload) return send(res, { status: 404, body: { ok: false, error: 'not_found' } });
    upload.bytes = await fileBytes(req.headers['content-type'], raw);
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`OK - ${upload.bytes.length}`);
  }

  private completeUpload(args: Record<string, unknown>): Answer {
    const files = jsonArray(args.files) as Array<{ id?: string; title?: string }> | undefined;
    if (!files?.length) return fail('invalid_arguments');
    const done = [];
    for (const file of files) {
      const upload = file.id ? this.uploads.get(file.id) : undefined;
      if (!upload?.bytes) return fail('file_not_found');
      upload.channelId = str(args.channel_id);
      upload.threadTs = str(args.thread_ts);
      upload.title = file.title;
      done.push({ id: upload.fileId, name: upload.filename, title: file.title ?? upload.filename, mimetype: 'image/png', size: upload.bytes.length });
    }
    return ok({ files: done });
  }

  private userInfo(args: Record<string, unknown>): Answer {
    const user = this.users.get(str(args.user) ?? '');
    if (!user) return fail('user_not_found');
    return ok({
      user: {
        id: user.id,
        team_id: this.teamId,
        name: user.name,
        real_name: user.realName ?? user.name,
        profile: { display_name: user.displayName ?? '', real_name: user.realName ?? user.name },
      },
    });
  }

  /** Slack's Block Kit limits, as far as opsbot uses blocks; over any of them is `invalid_blocks`. */
  private checkBlocks(blocks: unknown[] | undefined): Answer | undefined {
    // An empty array is how chat.update removes blocks; Slack accepts it.
    if (!blocks || blocks.length === 0) return undefined;
    if (this.rejectBlocks) return fail('invalid_blocks');
    const problems = blockProblems(blocks);
    return problems.length > 0 ? { body: { ok: false, error: 'invalid_blocks', errors: problems } } : undefined;
  }

  private nextTs(): string {
    return `${Math.floor(Date.now() / 1000)}.${String(++this.tsCounter).padStart(6, '0')}`;
  }
}

/** What Slack would refuse in these blocks (exported for the renderer's limit tests). */
export function blockProblems(blocks: unknown[]): string[] {
  const problems: string[] = [];
  const over = (what: string, value: string | undefined, max: number) => {
    if (value !== undefined && value.length > max) problems.push(`${what} is ${value.length} characters, more than ${max}`);
  };
  if (blocks.length > 50) problems.push(`${blocks.length} blocks, more than 50`);
  blocks.forEach((raw, i) => {
    const block = raw as Record<string, any>;
    const where = `blocks[${i}]`;
    switch (block.type) {
      case 'section':
        if (!block.text && !block.fields) problems.push(`${where}: a section needs text or fields`);
        if (block.text !== undefined && !(block.text.text?.length > 0)) problems.push(`${where}.text is empty`);
        over(`${where}.text`, block.text?.text, 3000);
        if (block.fields && (block.fields.length < 1 || block.fields.length > 10)) problems.push(`${where}: ${block.fields.length} fields`);
        for (const field of block.fields ?? []) over(`${where}.fields[]`, field.text, 2000);
        break;
      case 'context':
        if (!block.elements?.length || block.elements.length > 10) problems.push(`${where}: ${block.elements?.length} context elements`);
        for (const element of block.elements ?? []) over(`${where}.elements[]`, element.text, 3000);
        break;
      case 'actions':
        if (!block.elements?.length || block.elements.length > 25) problems.push(`${where}: ${block.elements?.length} elements`);
        for (const element of block.elements ?? []) {
          over(`${where} action_id`, element.action_id, 255);
          if (element.type === 'button') {
            over(`${where} button text`, element.text?.text, 75);
            over(`${where} button value`, element.value, 2000);
            if (element.confirm) {
              over(`${where} confirm title`, element.confirm.title?.text, 100);
              over(`${where} confirm text`, element.confirm.text?.text, 300);
              over(`${where} confirm button`, element.confirm.confirm?.text, 30);
              over(`${where} deny button`, element.confirm.deny?.text, 30);
            }
          } else if (element.type === 'static_select') {
            over(`${where} placeholder`, element.placeholder?.text, 150);
            if (!element.options?.length || element.options.length > 100) problems.push(`${where}: ${element.options?.length} options`);
            for (const option of element.options ?? []) {
              over(`${where} option text`, option.text?.text, 75);
              over(`${where} option value`, option.value, 150);
            }
          } else {
            problems.push(`${where}: unexpected element ${String(element.type)}`);
          }
        }
        break;
      default:
        problems.push(`${where}: unexpected block type ${String(block.type)}`);
    }
  });
  return problems;
}

function ok(body: Record<string, unknown>): Answer {
  return { body: { ok: true, ...body } };
}

function fail(error: string): Answer {
  return { body: { ok: false, error } };
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status ?? 200, { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Form fields carry arrays as JSON strings; JSON bodies carry them as arrays. */
function jsonArray(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseArgs(contentType: string | undefined, raw: Buffer): Promise<Record<string, unknown>> {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    try {
      return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    return Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === 'string'));
  }
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}

/** The uploaded bytes: the body itself, or the file part of a multipart form. */
async function fileBytes(contentType: string | undefined, raw: Buffer): Promise<Buffer> {
  if (!(contentType ?? '').toLowerCase().startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType as string } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}
