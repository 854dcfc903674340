/** The page's stylesheet (inline under the CSP nonce: the playground loads nothing from elsewhere). */
export const PLAYGROUND_STYLES = String.raw`
:root {
  --ink: #1d1c1d; --muted: #616061; --faint: #8a898a; --line: #e2e2e4; --bg: #ffffff; --panel: #f8f8f9;
  --rail: #3f0e40; --rail-ink: #cfc3cf; --accent: #1264a3;
  --info: #1d9bd1; --success: #2eb67d; --warning: #ecb22e; --error: #e01e5a;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { height: 100%; margin: 0; }
body { font: 15px/1.46 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
/* A command in a chip stays on one line: a break at a space or after "--" reads as two commands. */
code { font: 12px/1.4 var(--mono); color: var(--error); background: rgba(29, 28, 29, .04); border: 1px solid rgba(29, 28, 29, .13); border-radius: 3px; padding: 1px 4px; white-space: nowrap; overflow-wrap: normal; }
.app { display: flex; height: 100%; }

.sidebar { width: 232px; flex: none; background: var(--rail); color: var(--rail-ink); display: flex; flex-direction: column; padding: 14px 0; }
.workspace { color: #fff; font-weight: 800; font-size: 18px; padding: 0 18px 14px; border-bottom: 1px solid rgba(255, 255, 255, .12); display: flex; align-items: center; gap: 10px; }
.workspace .logo { width: 28px; height: 28px; border-radius: 7px; background: linear-gradient(135deg, #36c5f0, #2eb67d); color: #fff; font-size: 13px; display: grid; place-items: center; }
.section { font-size: 13px; padding: 16px 18px 6px; }
.channel { display: block; padding: 4px 18px; color: var(--rail-ink); text-decoration: none; font-size: 15px; }
.channel.active { background: var(--accent); color: #fff; font-weight: 700; }
.sidebar-footer { margin-top: auto; padding: 12px 18px 0; font-size: 13px; border-top: 1px solid rgba(255, 255, 255, .12); }
.sidebar-footer b { color: #fff; }
.act-as-hint { margin-top: 4px; font-size: 11px; opacity: .75; }
.act-as-hint a { color: inherit; }
.header-right { display: flex; align-items: center; gap: 8px; }
.acting-as { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #fde68a; color: #713f12; font-weight: 600; }
.reply-in-thread { margin-top: 2px; padding: 0; border: 0; background: none; color: var(--faint); font-size: 12px; cursor: pointer; }
.reply-in-thread:hover { text-decoration: underline; }
.replying { font-size: 12px; color: var(--faint); margin-bottom: 4px; }
.replying-cancel { border: 0; background: none; cursor: pointer; color: inherit; font-size: 14px; }

.channel-view { flex: 1; display: flex; flex-direction: column; min-width: 0; }
.channel-header { display: flex; align-items: center; justify-content: space-between; gap: 16px; padding: 10px 20px; border-bottom: 1px solid var(--line); }
.channel-header h1 { font-size: 18px; margin: 0; }
.channel-header p { margin: 0; color: var(--muted); font-size: 13px; }
.status { font-size: 12px; color: var(--muted); display: flex; align-items: center; gap: 6px; white-space: nowrap; }
.status::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--faint); }
.status.live::before { background: var(--success); }
.status.reconnecting::before { background: var(--warning); }

.feed { flex: 1; overflow-y: auto; padding: 12px 0 8px; }
.empty { margin: 18vh auto 0; max-width: 420px; text-align: center; color: var(--muted); }
.empty .note { font-size: 13px; }
.empty h2 { color: var(--ink); font-size: 22px; margin: 0 0 6px; }

.entry { display: flex; gap: 10px; padding: 6px 20px; }
.entry:hover { background: var(--panel); }
.avatar { width: 36px; height: 36px; flex: none; border-radius: 8px; display: grid; place-items: center; color: #fff; font-weight: 700; font-size: 14px; background: #7c3085; }
.from-bot > .avatar { background: linear-gradient(135deg, #36c5f0, #2eb67d); }
.entry-main { min-width: 0; flex: 1; }
.entry-meta { display: flex; align-items: baseline; gap: 6px; font-size: 13px; color: var(--faint); }
.author { font-weight: 800; color: var(--ink); font-size: 15px; }
.badge { font-size: 10px; font-weight: 700; color: var(--muted); background: #e8e8e8; border-radius: 3px; padding: 0 4px; }
.entry-body { margin-top: 2px; }

/* Child combinators throughout: a thread's replies sit inside their parent's article and must not take its look. */
.from-user { flex-direction: row-reverse; }
.from-user > .entry-main { display: flex; flex-direction: column; align-items: flex-end; }
.from-user > .entry-main > .entry-meta { flex-direction: row-reverse; }
.from-user > .entry-main > .entry-body { max-width: min(640px, 85%); }
.from-user > .entry-main > .entry-body > .message { background: var(--accent); color: #fff; border-radius: 14px 14px 4px 14px; padding: 6px 13px; }
.from-user > .entry-main > .entry-body .block { margin: 2px 0; }
.from-user > .entry-main > .entry-body .block.text { font-family: var(--mono); font-size: 13.5px; }
.from-user > .entry-main > .entry-body code { color: #fff; background: rgba(255, 255, 255, .15); border-color: rgba(255, 255, 255, .3); }

.from-bot > .entry-main > .entry-body > .message { border-left: 4px solid var(--info); padding: 2px 0 2px 12px; max-width: 760px; }
.from-bot > .entry-main > .entry-body > .message.tone-success { border-left-color: var(--success); }
.from-bot > .entry-main > .entry-body > .message.tone-warning { border-left-color: var(--warning); }
.from-bot > .entry-main > .entry-body > .message.tone-error { border-left-color: var(--error); }
.updated > .entry-main > .entry-body > .message { animation: flash 1.2s ease-out; }
@keyframes flash { from { background: #fff8d6; } to { background: transparent; } }

.block { margin: 4px 0; }
.block.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.tone-mark { display: inline-grid; place-items: center; width: 18px; height: 18px; border-radius: 50%; margin-right: 4px; vertical-align: -3px; color: #fff; font-size: 11px; font-weight: 800; line-height: 1; }
.tone-success .tone-mark { background: var(--success); }
.tone-warning .tone-mark { background: var(--warning); color: var(--ink); }
.tone-error .tone-mark { background: var(--error); }
.mention { color: var(--accent); background: rgba(29, 155, 209, .1); border-radius: 3px; padding: 0 2px; font-weight: 600; }
.context { font-size: 12px; color: var(--muted); }
.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px 20px; margin: 8px 0; }
.field dt { font-size: 12px; color: var(--muted); font-weight: 700; }
.field dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 5px 12px 5px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 700; }
tbody tr:last-child td { border-bottom: 0; }
.progress { display: flex; align-items: center; gap: 10px; font-size: 13px; color: var(--muted); }
.progress strong { color: var(--ink); font-variant-numeric: tabular-nums; margin-right: 4px; }
progress { appearance: none; -webkit-appearance: none; width: 240px; height: 8px; border: 0; border-radius: 4px; background: #e8e8ea; overflow: hidden; }
progress::-webkit-progress-bar { background: #e8e8ea; border-radius: 4px; }
progress::-webkit-progress-value { background: var(--info); border-radius: 4px; transition: width .4s ease; }
progress::-moz-progress-bar { background: var(--info); border-radius: 4px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.btn { font: inherit; font-size: 13px; font-weight: 700; padding: 5px 14px; border-radius: 6px; border: 1px solid #c9c9cb; background: #fff; color: var(--ink); cursor: pointer; }
.btn:hover { background: var(--panel); }
.btn-primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.btn-primary:hover { background: #148567; }
.btn-danger { background: var(--error); border-color: var(--error); color: #fff; }
.btn-danger:hover { background: #c61a50; }
.btn:disabled { opacity: .55; cursor: default; }
.select { font: inherit; font-size: 13px; padding: 5px 8px; border-radius: 6px; border: 1px solid #c9c9cb; background: #fff; }
.image { margin: 8px 0; }
.image img { display: block; max-width: min(100%, 480px); height: auto; border: 1px solid var(--line); border-radius: 8px; }
.image figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; }

.thread { margin: 6px 0 2px; padding-left: 10px; border-left: 2px solid var(--line); }
.thread-label { font-size: 12px; font-weight: 700; color: var(--accent); margin-bottom: 2px; }
.thread .entry { padding: 4px 0; }
.thread .entry:hover { background: transparent; }
.thread .avatar { width: 26px; height: 26px; font-size: 11px; border-radius: 6px; }

.composer { padding: 0 20px 14px; }
.composer-box { display: flex; gap: 8px; border: 1px solid #bbbabb; border-radius: 8px; padding: 6px 6px 6px 12px; }
.composer-box:focus-within { border-color: var(--accent); box-shadow: 0 0 0 3px rgba(18, 100, 163, .15); }
.composer input { flex: 1; border: 0; outline: 0; font: 15px var(--mono); min-width: 0; background: transparent; }
.send { font: inherit; font-weight: 700; font-size: 13px; border: 0; border-radius: 6px; background: #007a5a; color: #fff; padding: 6px 14px; cursor: pointer; }
.hint, .composer-error { font-size: 12px; color: var(--faint); margin-top: 6px; }
.composer-error { color: var(--error); }

@media (max-width: 720px) { .sidebar { display: none; } .entry { padding: 6px 12px; } }
`;
