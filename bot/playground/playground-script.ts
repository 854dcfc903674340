/**
 * The page's script, plain ES2017 that browsers run as is (no bundler, no framework). The
 * server sends each message as escaped HTML; this only places it: a new message at the end
 * or under its thread's parent, an update in place. Buttons and selects send their command.
 * A tab opened as /?as=name sends that name with each request (the server validates it).
 */
export const PLAYGROUND_SCRIPT = String.raw`
(function () {
  'use strict';
  var feed = document.getElementById('feed');
  var list = document.getElementById('messages');
  var empty = document.getElementById('empty');
  var form = document.getElementById('composer');
  var input = document.getElementById('composer-input');
  var statusEl = document.getElementById('status');
  var errorEl = document.getElementById('composer-error');
  var replyingEl = document.getElementById('replying');
  var replyingLabel = document.getElementById('replying-label');
  var actAs = document.body.dataset.actAs;
  var replyTo = null;
  var byRef = new Map();
  var sent = [];
  var recall = 0;
  var retryMs = 1000;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setStatus(state, label) {
    statusEl.className = 'status ' + state;
    statusEl.textContent = label;
  }

  function showError(text) {
    errorEl.textContent = text;
    errorEl.hidden = !text;
  }

  function nearBottom(extra) {
    return feed.scrollHeight - feed.scrollTop - feed.clientHeight - (extra || 0) < 120;
  }

  function scrollToEnd() {
    feed.scrollTop = feed.scrollHeight;
  }

  // An image has no height until it loads, so the scroll made when its message arrived stops short
  // by the picture; follow it once loaded, unless the reader has scrolled away meanwhile.
  function followImages(root) {
    root.querySelectorAll('img').forEach(function (img) {
      if (img.complete) return;
      img.addEventListener('load', function () { if (nearBottom(img.offsetHeight)) scrollToEnd(); }, { once: true });
    });
  }

  function timeOf(at) {
    var date = new Date(at);
    return isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function avatarColor(name) {
    var hash = 0;
    for (var i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) % 360;
    return 'hsl(' + hash + ', 45%, 42%)';
  }

  function shell(entry) {
    var article = el('article', 'entry ' + (entry.fromBot ? 'from-bot' : 'from-user'));
    article.dataset.ref = entry.ref;
    var avatar = el('div', 'avatar', entry.fromBot ? 'ob' : entry.author.slice(0, 1).toUpperCase());
    if (!entry.fromBot) avatar.style.background = avatarColor(entry.author);
    var main = el('div', 'entry-main');
    var meta = el('div', 'entry-meta');
    meta.appendChild(el('span', 'author', entry.author));
    if (entry.fromBot) meta.appendChild(el('span', 'badge', 'APP'));
    var time = el('time', '', timeOf(entry.at));
    time.dateTime = entry.at;
    meta.appendChild(time);
    var thread = el('div', 'thread');
    thread.hidden = true;
    thread.appendChild(el('div', 'thread-label'));
    thread.appendChild(el('div', 'replies'));
    main.appendChild(meta);
    main.appendChild(el('div', 'entry-body'));
    main.appendChild(thread);
    article.appendChild(avatar);
    article.appendChild(main);
    return article;
  }

  function part(article, name) {
    return article.querySelector(':scope > .entry-main > .' + name);
  }

  function addToThread(parent, article) {
    var thread = part(parent, 'thread');
    var replies = thread.querySelector('.replies');
    replies.appendChild(article);
    var count = replies.children.length;
    thread.querySelector('.thread-label').textContent = count === 1 ? '1 reply' : count + ' replies';
    thread.hidden = false;
  }

  function show(entry, updated) {
    var stick = nearBottom();
    var article = byRef.get(entry.ref);
    if (!article) {
      article = shell(entry);
      byRef.set(entry.ref, article);
      var parent = entry.threadRef && byRef.get(entry.threadRef);
      if (parent) addToThread(parent, article);
      else {
        var reply = el('button', 'reply-in-thread', 'Reply in thread');
        reply.type = 'button';
        reply.dataset.replyTo = entry.ref;
        reply.dataset.author = entry.author;
        part(article, 'thread').after(reply);
        list.appendChild(article);
      }
    }
    part(article, 'entry-body').innerHTML = entry.html;
    if (updated) {
      article.classList.remove('updated');
      void article.offsetWidth;
      article.classList.add('updated');
    }
    empty.hidden = byRef.size > 0;
    if (stick || !entry.fromBot) {
      scrollToEnd();
      followImages(article);
    }
  }

  function connect() {
    setStatus('connecting', 'Connecting…');
    var source = new EventSource('/playground/events');
    source.addEventListener('history', function (event) {
      // Sent on every (re)connect, so the page always matches the server after a gap.
      list.textContent = '';
      byRef.clear();
      JSON.parse(event.data).forEach(function (entry) { show(entry, false); });
      if (replyTo && !byRef.has(replyTo)) setReplyTo(null);
      empty.hidden = byRef.size > 0;
      scrollToEnd();
      followImages(list);
      setStatus('live', 'Live');
      retryMs = 1000;
    });
    source.addEventListener('posted', function (event) { show(JSON.parse(event.data), false); });
    source.addEventListener('updated', function (event) { show(JSON.parse(event.data), true); });
    source.onerror = function () {
      setStatus('reconnecting', 'Reconnecting…');
      // EventSource retries by itself unless the server refused it outright; then we retry, backing off.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 15000);
      }
    };
  }

  // Typed messages go to this thread until the reader leaves it (×, Esc): how a question is answered in words.
  function setReplyTo(ref, author) {
    replyTo = ref;
    replyingEl.hidden = !ref;
    if (ref) replyingLabel.textContent = 'Replying in the thread of ' + author + '’s message';
    input.placeholder = input.placeholder.replace(/^Message #playground|^Reply in thread/, ref ? 'Reply in thread' : 'Message #playground');
  }

  function send(path, body) {
    if (actAs) body.as = actAs;
    return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(
      function (response) {
        if (response.ok) { showError(''); return true; }
        return response.json().catch(function () { return {}; }).then(function (reply) {
          showError(reply.error || 'opsbot refused the request (HTTP ' + response.status + ').');
          return false;
        });
      },
      function () { showError('opsbot is not reachable; is it still running?'); return false; }
    );
  }

  function run(command, source) {
    var article = source.closest('[data-ref]');
    return send('/playground/actions', { command: command, messageRef: article ? article.dataset.ref : undefined });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    sent.push(text);
    recall = sent.length;
    var body = { text: text };
    if (replyTo) body.threadRef = replyTo;
    send('/playground/messages', body).then(function (ok) {
      if (!ok && !input.value) input.value = text;
    });
  });

  document.getElementById('replying-cancel').addEventListener('click', function () { setReplyTo(null); input.focus(); });

  input.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && replyTo) {
      setReplyTo(null);
      event.preventDefault();
    } else if (event.key === 'ArrowUp' && recall > 0 && (input.value === '' || input.value === sent[recall])) {
      recall -= 1;
      input.value = sent[recall];
      event.preventDefault();
    } else if (event.key === 'ArrowDown' && recall < sent.length) {
      recall += 1;
      input.value = sent[recall] || '';
      event.preventDefault();
    }
  });

  list.addEventListener('click', function (event) {
    var reply = event.target.closest('button[data-reply-to]');
    if (reply) {
      setReplyTo(reply.dataset.replyTo, reply.dataset.author);
      input.focus();
      return;
    }
    var button = event.target.closest('button[data-command]');
    if (!button || button.disabled) return;
    var data = button.dataset;
    if (data.confirmTitle !== undefined) {
      var question = data.confirmTitle + '\n\n' + data.confirmText + '\n\nOK: ' + data.confirmLabel + '   Cancel: ' + data.denyLabel;
      if (!window.confirm(question)) return;
    }
    button.disabled = true;
    run(data.command, button).then(function () { button.disabled = false; });
  });

  list.addEventListener('change', function (event) {
    var select = event.target.closest('select[data-select]');
    if (!select || !select.value) return;
    var command = select.value;
    select.selectedIndex = 0;
    run(command, select);
  });

  connect();
  input.focus();
})();
`;
