import { escapeHtml } from './escape-html.js';
import { MAX_TEXT_LENGTH } from './playground-requests.js';
import { PLAYGROUND_SCRIPT } from './playground-script.js';
import { PLAYGROUND_STYLES } from './playground-styles.js';

/**
 * The whole page, self-contained: its style and script run under the per-load nonce.
 * `userName` is whom this tab acts as; `ownName` is set when that is not the local user (`?as=`).
 */
export function playgroundPage(options: { nonce: string; userName: string; ownName?: string }): string {
  const nonce = escapeHtml(options.nonce);
  const user = escapeHtml(options.userName);
  const actAs = options.ownName === undefined ? '' : ` data-act-as="${user}"`;
  const who =
    options.ownName === undefined
      ? `Signed in as <b>${user}</b><div class="act-as-hint">Open <code>/?as=name</code> in another tab to act as another local user, e.g. a second approver for a prod deploy.</div>`
      : `Acting as <b>${user}</b><div class="act-as-hint">You are ${escapeHtml(options.ownName)}; this tab speaks as ${user}. <a href="/">Act as ${escapeHtml(options.ownName)}</a></div>`;
  const badge = options.ownName === undefined ? '' : `<span id="acting-as" class="acting-as">acting as ${user}</span>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>#playground · opsbot</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${PLAYGROUND_STYLES}</style>
</head>
<body${actAs}>
<div class="app">
  <aside class="sidebar">
    <div class="workspace"><span class="logo">ob</span>opsbot</div>
    <div class="section">Channels</div>
    <a class="channel active" href="/"># playground</a>
    <div class="sidebar-footer">${who}</div>
  </aside>
  <main class="channel-view">
    <header class="channel-header">
      <div><h1># playground</h1><p>Train, evaluate and deploy models from chat. Type <code>help</code> to see the commands.</p></div>
      <div class="header-right">${badge}<span id="status" class="status">Connecting…</span></div>
    </header>
    <section id="feed" class="feed">
      <div id="empty" class="empty"><h2>Welcome to #playground</h2><p>This is the embedded opsbot. Try <code>help</code>, or <code>train sentiment --dataset data/sentiment.csv</code>.</p><p class="note">This channel is its own conversation: what you type in the terminal of <code>opsbot start</code> is not shown here, nor this there. Both drive the same bot, so jobs, versions and deployments are shared.</p></div>
      <div id="messages"></div>
    </section>
    <form id="composer" class="composer" autocomplete="off">
      <div id="replying" class="replying" hidden><span id="replying-label">Replying in thread</span> <button type="button" id="replying-cancel" class="replying-cancel" aria-label="Reply in the channel instead">×</button></div>
      <div class="composer-box">
        <input id="composer-input" name="text" maxlength="${MAX_TEXT_LENGTH}" placeholder="Message #playground as ${user}" aria-label="Message opsbot" spellcheck="false">
        <button type="submit" class="send">Send</button>
      </div>
      <div id="composer-error" class="composer-error" role="alert" hidden></div>
      <div class="hint">Enter sends · ↑ recalls your last command · buttons run their command in the message's thread · Reply in thread answers a question there · Esc leaves the thread</div>
    </form>
  </main>
</div>
<script nonce="${nonce}">${PLAYGROUND_SCRIPT}</script>
</body>
</html>
`;
}
