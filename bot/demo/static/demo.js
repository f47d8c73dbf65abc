// khabar demo page: draws fakegram's chats and sends the visitor's actions back as Telegram events.
// Message bodies arrive as HTML the server already cut down to Telegram's subset; every other string
// is set with textContent.
"use strict";

(() => {
  const state = {
    data: null,
    raw: "",
    reader: "reader1",
    member: "mod1",
    replyTo: null, // message id in the discussion group
    loading: false,
    again: false,
    pane: "channel",
  };
  const $ = (id) => document.getElementById(id);
  const T = (key) => (state.data && state.data.texts[key]) || "";

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ----- server ---------------------------------------------------------------------------------------
  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    if (!response.ok || !answer.ok) {
      toast(answer.error || T("error"), false);
      return null;
    }
    return answer;
  }

  async function refresh() {
    if (state.loading) { state.again = true; return; }
    state.loading = true;
    try {
      const response = await fetch("/api/state", { cache: "no-store" });
      if (response.ok) {
        const raw = await response.text();
        $("offline").hidden = true;
        if (raw !== state.raw) { // redraw only what changed: nothing moves under the visitor's pointer
          state.raw = raw;
          state.data = JSON.parse(raw);
          render();
        }
      }
    } catch (e) {
      $("offline").hidden = false;
    } finally {
      state.loading = false;
      if (state.again) { state.again = false; refresh(); }
    }
  }

  function listen() {
    if (!window.EventSource) { setInterval(refresh, 1500); return; }
    const source = new EventSource("/api/events");
    source.onmessage = () => refresh();
    source.onerror = () => { $("offline").hidden = false; };
    source.onopen = () => { $("offline").hidden = true; };
    setInterval(() => { if (source.readyState === EventSource.CLOSED) refresh(); }, 3000);
  }

  // ----- people ---------------------------------------------------------------------------------------
  function person(key) {
    return state.data.people.find((p) => p.key === key);
  }

  function drawPeople(box, roles, selected, choose) {
    box.querySelectorAll(".person").forEach((n) => n.remove());
    for (const p of state.data.people.filter((q) => roles.includes(q.role))) {
      const chip = el("button", "person" + (p.key === selected ? " active" : ""), p.name);
      chip.type = "button";
      chip.dataset.person = p.key;
      if (p.role !== "reader") {
        chip.append(" ", el("span", "role", "(" + T(p.role === "moderator" ? "role_moderator" : "role_outsider") + ")"));
      }
      chip.addEventListener("click", () => choose(p.key));
      box.append(chip);
    }
  }

  // ----- messages -------------------------------------------------------------------------------------
  function keyboard(message, chat) {
    const box = el("div", "keyboard");
    for (const row of message.buttons) {
      const line = el("div", "keyboard-row");
      for (const button of row) {
        const key = el("button", "key", button.text);
        key.type = "button";
        key.dataset.kind = button.kind;
        if (button.kind === "callback") {
          key.dataset.data = button.data;
          key.addEventListener("click", () => press(chat, message.id, button.data, key));
        } else if (button.kind === "url" && button.start !== null && button.start !== undefined) {
          key.dataset.start = button.start;
          key.addEventListener("click", () => openStart(button.start));
        } else if (button.kind === "url") {
          key.classList.add("link");
          key.addEventListener("click", () => window.open(button.url, "_blank", "noopener,noreferrer"));
        }
        line.append(key);
      }
      box.append(line);
    }
    return box;
  }

  function bubble(message, chat, outgoing) {
    const wrap = el("div", "msg" + (outgoing ? " out" : "") + (chat === "channel" || message.forward ? " post" : ""));
    wrap.dataset.id = message.id;
    wrap.dataset.kind = message.kind;
    const box = el("div", "bubble");
    if (!outgoing && chat !== "private") box.append(el("div", "sender " + message.kind, message.name));
    if (message.forward) box.append(el("div", "forwarded", "↪ " + message.name));
    if (message.reply) {
      const quote = el("div", "quote");
      quote.append(el("b", "", message.reply.name), document.createTextNode(message.reply.text));
      box.append(quote);
    }
    const body = el("div", "body");
    body.dir = "auto"; // "/start …" reads left to right, Persian right to left
    body.innerHTML = message.html; // sanitised to Telegram's HTML subset by the server
    box.append(body);
    const meta = el("div", "meta");
    if (message.edited) meta.append(el("span", "", T("edited")));
    meta.append(el("span", "", message.time));
    box.append(meta);
    wrap.append(box);
    if (message.buttons.length) wrap.append(keyboard(message, chat));
    if (chat === "group") {
      const actions = el("div", "msg-actions");
      const reply = el("button", "reply-button", "↩ " + T("reply"));
      reply.type = "button";
      reply.addEventListener("click", () => setReply(message));
      actions.append(reply);
      wrap.append(actions);
    }
    return wrap;
  }

  function drawChat(chat, messages, me) {
    const box = $("messages-" + chat);
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    const keep = box.scrollTop;
    box.replaceChildren();
    if (!messages.length) box.append(el("p", "empty", T("empty")));
    for (const message of messages) {
      box.append(bubble(message, chat, me !== null && message.user === me));
    }
    box.scrollTop = atBottom || box.dataset.drawn !== "1" ? box.scrollHeight : keep;
    box.dataset.drawn = "1";
  }

  function render() {
    const d = state.data;
    const path = $("data-path");
    path.textContent = d.data.path;
    const kind = $("data-kind");
    kind.textContent = d.data.temporary ? kind.dataset.temp : kind.dataset.kept;
    $("title-channel").textContent = d.channel.title;
    $("title-group").textContent = d.group.title;
    $("title-mods").textContent = d.mods.title;
    $("title-private").textContent = d.bot.name;
    $("bot-username").textContent = "@" + d.bot.username;

    drawPeople($("private-people"), ["reader"], state.reader, chooseReader);
    drawPeople($("group-people"), ["reader"], state.reader, chooseReader);
    drawPeople($("mods-people"), ["moderator", "outsider"], state.member, (key) => { state.member = key; render(); });

    const reader = person(state.reader);
    const member = person(state.member);
    drawChat("channel", d.channel.messages, null);
    drawChat("group", d.group.messages, reader.id);
    const mine = d.private[state.reader] || [];
    drawChat("private", mine, reader.id);
    $("start-bar").hidden = mine.length > 0;
    drawChat("mods", d.mods.messages, member.id);
    markUnread({ channel: d.channel.messages, group: d.group.messages, private: mine, mods: d.mods.messages });
    drawReply();
    drawWeb();
  }

  // On a phone one pane shows at a time: a dot on the other tabs says something new arrived there.
  const seen = {};
  function markUnread(chats) {
    for (const [name, messages] of Object.entries(chats)) {
      const count = messages.length;
      const tab = document.querySelector('.tab[data-pane="' + name + '"]');
      if (name === state.pane || seen[name] === undefined) seen[name] = count;
      tab.classList.toggle("unread", count > seen[name]);
    }
  }

  function chooseReader(key) {
    state.reader = key;
    state.replyTo = null;
    $("messages-private").dataset.drawn = "0";
    render();
  }

  // ----- the discussion thread's reply target ---------------------------------------------------------
  function setReply(message) {
    state.replyTo = message.id;
    drawReply();
    $("composer-group").elements.text.focus();
  }

  function replyTarget() {
    const messages = state.data.group.messages;
    if (state.replyTo !== null) {
      const chosen = messages.find((m) => m.id === state.replyTo);
      if (chosen) return chosen;
      state.replyTo = null;
    }
    const posts = messages.filter((m) => m.forward);
    return posts.length ? posts[posts.length - 1] : null; // by default: a comment on the latest post
  }

  function drawReply() {
    const target = replyTarget();
    $("replying-group").hidden = target === null;
    if (target) {
      const text = document.createElement("div");
      text.innerHTML = target.html;
      $("replying-group-text").textContent = target.name + ": " + (text.textContent || "").slice(0, 60);
    }
  }

  // ----- website comment box (shown only when the demo has a website URL) ----------------------------
  function latestToken() {
    const posts = state.data.channel.messages;
    for (let i = posts.length - 1; i >= 0; i--) {
      for (const row of posts[i].buttons) {
        for (const b of row) {
          if (b.start && b.start.startsWith("a-")) return b.start.slice(2);
        }
      }
    }
    return null;
  }

  function drawWeb() {
    const web = state.data.web;
    const token = web ? latestToken() : null;
    const show = Boolean(web && token);
    $("pane-web").hidden = !show;
    document.querySelector('.tab[data-pane="web"]').hidden = !show;
    $("panes").classList.toggle("with-web", show);
    if (show) {
      const src = web.base + "/embed/" + encodeURIComponent(token);
      if ($("web-frame").getAttribute("src") !== src) $("web-frame").setAttribute("src", src);
    }
  }

  // ----- actions --------------------------------------------------------------------------------------
  function actor(chat) {
    return chat === "mods" ? state.member : state.reader;
  }

  async function press(chat, messageId, data, key) {
    key.disabled = true;
    const answer = await post("/api/press", { person: actor(chat), chat, message_id: messageId, data });
    key.disabled = false;
    if (answer === null) return;
    if (!answer.answered) toast(T("no_answer"), false);
    else if (answer.text) toast(answer.text, answer.alert);
  }

  async function openStart(payload) {
    const answer = await post("/api/start", { person: state.reader, payload });
    if (answer === null) return;
    showPane("private");
    toast(T("opened_link"), false);
  }

  async function send(chat, form) {
    const input = form.elements.text;
    const text = input.value.trim();
    if (!text) return;
    const body = { person: actor(chat), chat, text };
    if (chat === "group") {
      const target = replyTarget();
      if (target) body.reply_to = target.id;
    }
    const button = form.querySelector("button");
    button.disabled = true;
    const answer = await post("/api/send", body);
    button.disabled = false;
    if (answer === null) return;
    input.value = "";
    if (chat === "group") state.replyTo = null;
  }

  async function publish(form) {
    const fields = ["kicker", "title", "lead"];
    const body = {};
    for (const name of fields) body[name] = form.elements[name].value;
    const answer = await post("/api/article", body);
    if (answer === null) return;
    toast(answer.message, false);
    if (answer.message === T("posted")) form.reset();
  }

  // ----- chrome ---------------------------------------------------------------------------------------
  let toastTimer = 0;
  function toast(text, alert) {
    const box = $("toast");
    box.textContent = text;
    box.classList.toggle("alert", Boolean(alert));
    box.hidden = false;
    clearTimeout(toastTimer);
    if (!alert) toastTimer = setTimeout(() => { box.hidden = true; }, 3500);
  }

  function showPane(name) {
    state.pane = name;
    const tab = document.querySelector('.tab[data-pane="' + name + '"]');
    tab.classList.remove("unread");
    if (state.data) {
      const counts = { channel: state.data.channel, group: state.data.group, mods: state.data.mods };
      if (counts[name]) seen[name] = counts[name].messages.length;
      if (name === "private") seen[name] = (state.data.private[state.reader] || []).length;
    }
    document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.dataset.pane === name));
    document.querySelectorAll(".pane").forEach((p) => p.classList.toggle("active", p.dataset.pane === name));
  }

  function deepLink(anchor) {
    if (!state.data) return null;
    let url;
    try { url = new URL(anchor.href); } catch (e) { return null; }
    const host = url.hostname.toLowerCase();
    if (host !== "t.me" && host !== "telegram.me") return null;
    if (url.pathname.replace(/\//g, "").toLowerCase() !== state.data.bot.username.toLowerCase()) return null;
    return url.searchParams.get("start") || "";
  }

  function wire() {
    document.querySelectorAll(".composer").forEach((form) => {
      form.addEventListener("submit", (event) => { event.preventDefault(); send(form.dataset.chat, form); });
    });
    $("article-form").addEventListener("submit", (event) => { event.preventDefault(); publish(event.target); });
    $("replying-group-cancel").addEventListener("click", () => {
      // "cancel" means: reply to nothing in particular, i.e. the latest post again
      state.replyTo = null;
      drawReply();
    });
    $("start-button").addEventListener("click", () => openStart(null));
    $("toast").addEventListener("click", () => { $("toast").hidden = true; });
    document.querySelectorAll(".tab").forEach((tab) => tab.addEventListener("click", () => showPane(tab.dataset.pane)));
    document.addEventListener("click", (event) => {
      const spoiler = event.target.closest(".tg-spoiler");
      if (spoiler) { spoiler.classList.add("shown"); return; }
      const anchor = event.target.closest(".body a");
      if (!anchor) return;
      if (anchor.protocol === "tg:") { event.preventDefault(); return; } // a mention: nowhere to go here
      const payload = deepLink(anchor);
      if (payload !== null) {
        event.preventDefault();
        openStart(payload);
      }
    });
  }

  wire();
  refresh();
  listen();
})();
