import type { Express } from 'express';
import type { ConversationRef, Identity } from '../../core/index.js';
import type { AdapterContext, ChatAdapter } from '../chat-adapter.js';
import type { LocalWorkspace } from '../local/local-workspace.js';
import { sendPng } from '../send-png.js';
import { findPlaygroundMessage, PLAYGROUND_CONVERSATION, threadOf } from './playground-conversation.js';
import { PlaygroundEventStream } from './playground-event-stream.js';
import { playgroundPage } from './playground-page.js';
import { jsonBody, parseBody, refuse } from './json-request.js';
import { actionRequestSchema, describeIssues, imageParamsSchema, messageRequestSchema, pageQuerySchema } from './playground-requests.js';
import type { PlaygroundAccess } from './playground-access.js';
import { newNonce, pageSecurityPolicy, playgroundGuard, type PlaygroundGuardOptions } from './playground-security.js';
import { tokenCookie } from './playground-token.js';

export interface PlaygroundOptions {
  /** Who may connect: see resolvePlaygroundAccess. */
  access: PlaygroundAccess;
  /** How often an idle event stream gets a comment line; 15 s by default. */
  heartbeatMs?: number;
  /** The peer's address as the guard sees it (tests); the socket's by default. */
  peerAddress?: PlaygroundGuardOptions['peerAddress'];
}

/**
 * The browser playground of the embedded default: its own channel in the shared local
 * workspace (the terminal's conversation is another), served from the bot's HTTP server. What is typed (or clicked) goes through
 * the same dispatcher as every platform; what the bot posts streams back live.
 *
 * A tab opened as `/?as=lea` acts as the local user `lea` instead of `identity`, so one person
 * can try what needs several (a prod promotion's approvers other than its requester). It grants
 * nothing new: whoever passes the guard is this machine's user, who can already type
 * as anyone with `opsbot start --user lea`; the name is only who the audit log and RBAC see.
 */
export function createPlaygroundAdapter(
  context: AdapterContext,
  workspace: LocalWorkspace,
  identity: Identity,
  options: PlaygroundOptions,
): ChatAdapter {
  const events = new PlaygroundEventStream(workspace, context.log, options.heartbeatMs ?? 15_000);
  // Commands run one after another, as in the terminal, so replies come in the order they were sent.
  let queue: Promise<unknown> = Promise.resolve();

  const actingAs = (name: string | undefined): Identity => (name === undefined || name === identity.userId ? identity : localUser(name));

  const run = (conversation: ConversationRef, text: string, who: Identity): string => {
    const entry = workspace.addUserMessage(conversation, who.displayName, text);
    // As on Slack, a command typed in the channel is answered in its own thread: its job, chart
    // and what its buttons start then read in order under it, not interleaved with later commands.
    const replyIn = conversation.threadId ? conversation : { ...conversation, threadId: entry.ref };
    queue = queue
      .then(() => context.handle({ identity: who, conversation: replyIn, text }))
      .catch((error: unknown) => context.log.error({ err: error }, 'a playground command failed'));
    return entry.ref;
  };

  return {
    platform: 'local',
    chat: workspace,

    mount(app: Express): void {
      const guard = playgroundGuard({ access: options.access, peerAddress: options.peerAddress });

      app.get('/', guard, (req, res) => {
        const query = pageQuerySchema.safeParse(req.query);
        if (!query.success) return refuse(res, 400, `?as=: ${describeIssues(query.error)}`);
        const as = query.data.as;
        const here = as === undefined ? '/' : `/?as=${encodeURIComponent(as)}`;
        if (typeof req.query.token === 'string') {
          // The guard has checked it: keep it in a cookie and take it out of the address bar and history.
          res.set('Set-Cookie', tokenCookie(options.access.token, req.secure)).redirect(303, here);
          return;
        }
        const nonce = newNonce();
        res.set({ 'Content-Security-Policy': pageSecurityPolicy(nonce), 'Cache-Control': 'no-store' });
        const who = actingAs(as);
        res.type('html').send(playgroundPage({ nonce, userName: who.displayName, ...(who === identity ? {} : { ownName: identity.displayName }) }));
      });

      app.get('/playground/events', guard, (_req, res) => events.connect(res));

      app.post('/playground/messages', guard, jsonBody(), (req, res) => {
        const body = parseBody(messageRequestSchema, req, res);
        if (!body) return;
        let conversation = PLAYGROUND_CONVERSATION;
        if (body.threadRef !== undefined) {
          const inThread = findPlaygroundMessage(workspace.history(), body.threadRef);
          if (!inThread) return refuse(res, 404, 'That thread is no longer in the playground’s history; send your message in the channel.');
          conversation = threadOf(inThread);
        }
        res.status(202).json({ ref: run(conversation, body.text, actingAs(body.as)) });
      });

      app.post('/playground/actions', guard, jsonBody(), (req, res) => {
        const body = parseBody(actionRequestSchema, req, res);
        if (!body) return;
        // A message that has since left the history still runs its command, in the channel.
        const clicked = body.messageRef === undefined ? undefined : findPlaygroundMessage(workspace.history(), body.messageRef);
        res.status(202).json({ ref: run(threadOf(clicked), body.command, actingAs(body.as)) });
      });

      app.get('/playground/images/:ref/:index', guard, (req, res) => {
        const params = imageParamsSchema.safeParse(req.params);
        if (!params.success) return refuse(res, 400, describeIssues(params.error));
        const block = findPlaygroundMessage(workspace.history(), params.data.ref)?.message.blocks[params.data.index];
        if (block?.type !== 'image') return refuse(res, 404, 'There is no such image.');
        sendPng(res, block.png, 'no-cache');
      });
    },

    async start(): Promise<void> {},

    async stop(): Promise<void> {
      events.close();
    },
  };
}

/** Another person at this machine, as `opsbot start --user <name>` makes one: `local:<name>`. */
function localUser(name: string): Identity {
  return { platform: 'local', workspace: '', userId: name, displayName: name };
}
