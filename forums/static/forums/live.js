/* Live updates for discussion groups, threads and the moderation queue (LIVE_CONTRACT.md).
   Pages work without it; this only adds what happened since the page was rendered.
   Every event carries its group's sequence number: on (re)connect the client asks for what it
   missed after the last one it saw; events seen twice (catch-up and live) are applied once. */
(function () {
  "use strict";
  var root = document.getElementById("forum-live");
  if (!root || !("WebSocket" in window)) return;
  var d = root.dataset;
  var page = d.page, threadId = d.thread ? Number(d.thread) : null;
  var last = Number(d.seq) || 0, lastPublic = Number(d.publicSeq) || 0;
  var seen = new Set(), socket = null, retries = 0, stopped = false;
  var statusBox = document.querySelector("[data-live-status]");
  var statusText = document.querySelector("[data-live-text]");
  var announcer = document.querySelector("[data-announcer]");

  var lang = document.documentElement.lang || undefined;
  var utcFormat, localFormat;
  try {
    // The page's language, as the times the server wrote; UTC first, then the reader's zone.
    utcFormat = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
    localFormat = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
  } catch (e) {
    utcFormat = localFormat = { format: function (when) { return when.toISOString(); } };
  }
  localTimes(document);

  function setStatus(text, offline) {
    if (!statusBox) return;
    statusBox.hidden = false;
    statusText.textContent = text;
    statusBox.classList.toggle("live-status--offline", !!offline);
  }
  function announce(text) { if (announcer) announcer.textContent = text; }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + d.socket);
    socket.onopen = function () {
      retries = 0;
      setStatus(d.textLive, false);
      send({ type: "catch_up", after: last });
    };
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      handle(event);
    };
    socket.onclose = function (event) {
      socket = null;
      if (stopped || event.code === 4404 || event.code === 4403) return;
      // Signed out (4401): the page was made for who the reader was; a reload shows it as
      // they are now. Too many sockets (4429) or bad messages (4400): stop asking.
      if (event.code === 4401) { stopped = true; offerReload(d.textSignedOut); return; }
      if (event.code === 4400 || event.code === 4429) { stopped = true; setStatus(d.textStopped, true); return; }
      setStatus(d.textOffline, true);
      var delay = Math.min(30000, 1000 * Math.pow(2, retries++)) + Math.random() * 1000;
      setTimeout(connect, delay);
    };
  }
  function send(data) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(data)); }

  function handle(event) {
    if (event.type === "error") return;
    if (event.type === "caught_up") { last = Math.max(last, event.seq); return; }
    if (event.type === "reload") { offerReload(); return; }
    // The reader's rights changed (a moderator no more, a registration decided): the page's
    // forms and lists were made for the old ones.
    if (event.type === "access.changed") { offerReload(d.textAccess); return; }
    if (typeof event.seq !== "number" || seen.has(event.seq)) return;
    seen.add(event.seq);
    if (typeof event.prev === "number") {
      // A public event names the public one before it: if that one never arrived, catch up.
      if (event.prev > lastPublic && !seen.has(event.prev)) send({ type: "catch_up", after: lastPublic });
      lastPublic = Math.max(lastPublic, event.seq);
    }
    last = Math.max(last, event.seq);
    var apply = handlers[event.type];
    if (apply) apply(event);
  }

  function offerReload(text) {
    setStatus(text || d.textReload, true);
    var button = document.querySelector("[data-reload]");
    if (button) { button.hidden = false; button.onclick = function () { location.reload(); }; }
  }

  var handlers = {
    "post.created": upsertPost,
    "post.published": upsertPost,
    "post.updated": upsertPost,
    "post.hidden": upsertPost,
    "post.rejected": upsertPost,
    "thread.created": upsertThread,
    "thread.pinned": upsertThread,
    "thread.closed": function (event) {
      upsertThread(event);
      if (page === "thread" && event.thread.id === threadId) {
        var badge = document.querySelector("[data-thread-closed]");
        if (badge) badge.hidden = !event.thread.closed;
        if (event.thread.closed) closeCompose(d.textThreadClosed);
      }
    },
    "round.closed": function () { closeCompose(d.textRoundClosed); announce(d.textRoundClosed); },
    "round.opened": function () { offerReload(); },
    "summary.posted": function (event) {
      var box = document.getElementById("round-summary");
      if (!box) return;
      box.querySelector("[data-summary-body]").innerHTML = event.summary;  // clean HTML (core.sanitize)
      box.hidden = false;
      announce(d.textSummary);
    },
    "queue.changed": function (event) {
      Object.keys(event.queue || {}).forEach(function (key) {
        var node = document.querySelector('[data-count="' + key + '"]');
        if (node) node.textContent = event.queue[key];
      });
      // Flags arrive as counts; the flagged posts themselves are listed on reload.
      var flagged = document.getElementById("queue-flags");
      var notice = document.querySelector("[data-new-flags]");
      if (flagged && notice) {
        var shown = flagged.querySelectorAll("li.queue-item").length;
        notice.hidden = !(event.queue && event.queue.flags > shown);
        if (!notice.hidden) announce(notice.textContent.trim());
      }
    }
  };

  function closeCompose(text) {
    document.querySelectorAll("form[data-compose]").forEach(function (form) {
      var notice = document.createElement("p");
      notice.className = "notice";
      notice.setAttribute("role", "status");
      notice.textContent = text;
      form.replaceWith(notice);
    });
  }

  function upsertPost(event) {
    var post = event.post;
    if (page === "queue") return updateQueue(event);
    if (page === "group") return bumpThread(post, event.type);
    if (page !== "thread" || post.thread !== threadId) return;
    var list = document.getElementById("post-list");
    var existing = document.getElementById("post-" + post.id);
    var node = existing || renderPost(post);
    if (existing) fillPost(existing, post);
    node.className = "post post--" + post.status + (existing ? "" : " post--new");
    if (!existing) {
      list.appendChild(node);
      if (post.status === "published") announce(d.textNewPost + " " + post.author);
    }
  }

  function renderPost(post) {
    var node = document.getElementById("post-template").content.firstElementChild.cloneNode(true);
    node.id = "post-" + post.id;
    node.dataset.postId = post.id;
    fillPost(node, post);
    return node;
  }

  function fillPost(node, post) {
    var badge = node.querySelector("[data-status-badge]");
    var body = node.querySelector("[data-body]");
    // What the author may still do, as the page would say after a reload (rules.can_edit_post).
    var editLink = node.querySelector("[data-edit-link]");
    var editable = d.premoderated === "1" ? ["pending"] : ["pending", "published"];
    if (editLink && editable.indexOf(post.status) < 0) editLink.remove();
    if (post.status === "hidden") {
      if (body) body.remove();
      var quote = node.querySelector("[data-quote], .post__quote");
      if (quote) quote.remove();
      var placeholder = node.querySelector("[data-placeholder]");
      if (!placeholder) {
        placeholder = document.createElement("p");
        placeholder.className = "post__placeholder";
        placeholder.dataset.placeholder = "";
        node.querySelector("article").appendChild(placeholder);
      }
      placeholder.textContent = hiddenText(post);
      if (badge) badge.textContent = "";
      return;
    }
    var author = node.querySelector("[data-author]");
    if (author && post.author && !author.textContent.trim()) author.textContent = post.author;
    var permalink = node.querySelector("[data-permalink]");
    if (permalink) {
      permalink.href = "#post-" + post.id;
      var time = permalink.querySelector("time");
      if (!time.dateTime) {
        setTime(time, post.created_at);
        localTimes(node);
      }
    }
    if (body && post.body !== undefined) {
      body.innerHTML = post.body;  // clean HTML (core.sanitize)
      if (post.language) body.lang = post.language; else body.removeAttribute("lang");
    }
    var context = node.querySelector("[data-context]");
    if (context && post.reply_to) {
      context.hidden = false;
      context.textContent = d.textInReplyTo + " ";
      var link = document.createElement("a");
      link.href = "#post-" + post.reply_to.id;
      link.textContent = post.reply_to.author;
      context.appendChild(link);
    }
    // A quote is shown only while the quoted post may be read (the server sends it empty
    // once that post is hidden): take it away from a page that already shows it.
    var quoteNode = node.querySelector("[data-quote]");
    if (quoteNode) {
      quoteNode.hidden = !post.quote;
      quoteNode.textContent = post.quote || "";
    }
    // Reply and quote links, as on the posts the page was rendered with (the form is plain).
    var canReply = post.status === "published" && document.querySelector("#reply form[data-compose]");
    ["reply", "quote"].forEach(function (kind) {
      var link = node.querySelector("[data-" + kind + "-link]");
      if (!link) return;
      link.href = "?reply_to=" + post.id + (kind === "quote" ? "&quote=1" : "") + "#reply";
      link.hidden = !canReply;
    });
    if (badge) {
      badge.textContent = "";
      if (post.status === "pending" || post.status === "rejected") {
        var span = document.createElement("span");
        span.className = "badge " + (post.status === "pending" ? "badge--pending" : "badge--closed");
        span.textContent = post.status === "pending" ? d.textPending : d.textRejected;
        badge.appendChild(span);
      }
    }
  }

  function hiddenText(post) {
    // "This post was hidden by a moderator. Reason: Off-topic — <explanation>", as post.html.
    var text = d.textHidden;
    var labels = document.getElementById("moderation-reasons");
    var label = post.reason_code && labels && labels.content.querySelector('[data-code="' + post.reason_code + '"]');
    if (label) text += " " + d.textReason + " " + label.textContent;
    if (post.reason) text += " — " + post.reason;
    return text;
  }

  function setTime(node, iso) {
    var when = new Date(iso);
    if (isNaN(when)) return;
    node.dateTime = iso;
    node.dataset.localTime = "";
    node.textContent = utcFormat.format(when) + " UTC";
  }

  function bumpThread(post, type) {
    var row = document.getElementById("thread-" + post.thread);
    if (!row) return;
    if ((type === "post.created" || type === "post.published") && post.status === "published") {
      var count = row.querySelector("[data-post-count]");
      if (count) count.textContent = Number(count.textContent) + 1;
      row.classList.add("post--new");
    }
  }

  function upsertThread(event) {
    if (page !== "group") return;
    var thread = event.thread;
    var list = document.getElementById("thread-list");
    var row = document.getElementById("thread-" + thread.id);
    if (row && (event.type === "thread.pinned" || event.type === "thread.closed")) {
      var flag = event.type === "thread.pinned" ? "pinned" : "closed";
      var on = event.thread[flag];
      var badge = row.querySelector("[data-" + flag + "]");
      if (on && !badge) {
        badge = document.createElement("span");
        badge.className = "badge" + (flag === "closed" ? " badge--closed" : "");
        badge.dataset[flag] = "";
        badge.textContent = flag === "pinned" ? d.textPinned : d.textClosed;
        row.querySelector(".thread-row__title").after(" ", badge);
      } else if (!on && badge) {
        badge.remove();
      }
      return;
    }
    if (!row && event.type === "thread.created") {
      row = document.createElement("li");
      row.className = "thread-row post--new";
      row.id = "thread-" + thread.id;
      var link = document.createElement("a");
      link.className = "thread-row__title";
      link.href = thread.url;
      link.textContent = thread.title;
      var meta = document.createElement("span");
      meta.className = "muted";
      meta.append(thread.author + " · ");
      var count = document.createElement("span");
      count.dataset.postCount = "";
      count.textContent = "0";
      meta.append(count, " " + d.textPosts);
      row.append(link, " ", meta);
      var empty = list.querySelector("[data-empty]");
      if (empty) empty.remove();
      list.prepend(row);
      if (thread.published) announce(d.textNewThread + " " + thread.title);
    }
  }

  function updateQueue(event) {
    var post = event.post;
    var list = document.getElementById("queue-pending");
    var item = document.getElementById("queue-post-" + post.id);
    if (post.status !== "pending") { if (item) item.remove(); return; }
    if (item) { var body = item.querySelector("[data-body]"); if (body) body.innerHTML = post.body; return; }
    var template = document.getElementById("queue-template");
    if (!template || !list) return;
    var html = template.innerHTML.replace(/-new\b/g, "-" + post.id);
    var holder = document.createElement("div");
    holder.innerHTML = html;
    item = holder.querySelector("li");
    item.id = "queue-post-" + post.id;
    item.dataset.postId = post.id;
    item.classList.add("post--new");
    var link = item.querySelector("[data-thread-link]");
    link.href = post.thread_url + "#post-" + post.id;
    link.textContent = post.thread_title;
    item.querySelector("[data-author]").textContent = post.author;
    var stamp = document.createElement("time");
    setTime(stamp, post.created_at);
    item.querySelector("[data-time]").replaceChildren(stamp);
    localTimes(item);
    item.querySelector("[data-body]").innerHTML = post.body;  // clean HTML (core.sanitize)
    item.querySelector("[data-edit-body]").value = post.editable !== undefined ? post.editable : post.body;
    item.querySelector("[data-moderate-form]").action = list.dataset.moderateUrl.replace("/0/", "/" + post.id + "/") + "#queue-post-" + post.id;
    var empty = list.querySelector("[data-empty]");
    if (empty) empty.remove();
    list.appendChild(item);
    announce(d.textQueueNew + ": " + post.thread_title);
  }

  function localTimes(scope) {
    scope.querySelectorAll("time[data-local-time]").forEach(function (node) {
      var when = new Date(node.dateTime);
      if (isNaN(when) || node.dataset.localDone) return;
      node.dataset.localDone = "1";
      var local = localFormat.format(when);
      node.title = local + " (" + d.textLocal + ")";
      node.insertAdjacentText("afterend", " (" + local + ", " + d.textLocal + ")");
    });
  }

  // A round that reaches its closing time while the page is open stops accepting posts here
  // too (the server refuses them anyway).
  if (d.state === "open" && d.closesAt) {
    var remaining = new Date(d.closesAt) - new Date();
    if (remaining > 0 && remaining < 2147483647) setTimeout(function () { closeCompose(d.textRoundClosed); }, remaining);
  }
  // A scheduled round that opens while the page is open offers a reload (for the forms).
  if (d.state === "scheduled" && d.opensAt) {
    var waiting = new Date(d.opensAt) - new Date();
    if (waiting > 0 && waiting < 2147483647) setTimeout(offerReload, waiting + 1000);
  }
  window.addEventListener("pagehide", function () { stopped = true; if (socket) socket.close(); });
  connect();
})();
