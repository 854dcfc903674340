import { escapeHtml } from './escape-html.js';
import { MAX_TEXT_LENGTH } from './playground-requests.js';
import { PLAYGROUND_SCRIPT } from './playground-script.js';
import { PLAYGROUND_STYLES } from './playground-styles.js';

/** The whole page, self-contained: its style and script run under the per-load nonce. */
export function playgroundPage(options: { nonce: string; userName: string }): string {
  const nonce = escapeHtml(options.nonce);
  const user = escapeHtml(options.userName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>#playground · opsbot</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${PLAYGROUND_STYLES}</style>
</head>
<body>
<div class="app">
  <aside class="sidebar">
    <div class="workspace"><span class="logo">ob</span>opsbot</div>
    <div class="section">Channels</div>
    <a class="channel active" href="/"># playground</a>
    <div class="sidebar-footer">Signed in as <b>${user}</b></div>
  </aside>
  <main class="channel-view">
    <header class="channel-header">
      <div><h1># playground</h1><p>Train, evaluate and deploy models from chat. Type <code>help</code> to see the commands.</p></div>
      <span id="status" class="status">Connecting…</span>
    </header>
    <section id="feed" class="feed">
      <div id="empty" class="empty"><h2>Welcome to #playground</h2><p>This is the embedded opsbot. Try <code>help</code>, or <code>train sentiment --dataset data/sentiment.csv</code>.</p><p class="note">This channel is its own conversation: what you type in the terminal of <code>opsbot start</code> is not shown here, nor this there. Both drive the same bot, so jobs, versions and deployments are shared.</p></div>
      <div id="messages"></div>
    </section>
    <form id="composer" class="composer" autocomplete="off">
      <div class="composer-box">
        <input id="composer-input" name="text" maxlength="${MAX_TEXT_LENGTH}" placeholder="Message #playground as ${user}" aria-label="Message opsbot" spellcheck="false">
        <button type="submit" class="send">Send</button>
      </div>
      <div id="composer-error" class="composer-error" role="alert" hidden></div>
      <div class="hint">Enter sends · ↑ recalls your last command · buttons run their command in the message's thread</div>
    </form>
  </main>
</div>
<script nonce="${nonce}">${PLAYGROUND_SCRIPT}</script>
</body>
</html>
`;
}
