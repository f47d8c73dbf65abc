/* Khabar's comment box. One <script src=".../widget.js" defer> and a <div id="khabar-comments"> on the page.
   Every text from the server is set with textContent (never as markup); no cookies, nothing external. */
(function () {
  "use strict";
  var T = /*TEXTS*/{};
  var script = document.currentScript;
  var BASE = script ? new URL(script.src, location.href).origin : location.origin;
  var FA = "۰۱۲۳۴۵۶۷۸۹";
  var ID_KEY = "khabar-identity";

  function fa(value) { return String(value).replace(/[0-9]/g, function (d) { return FA[+d]; }); }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function excerpt(text) { text = text.replace(/\s+/g, " ").trim(); return text.length > 60 ? text.slice(0, 59) + "…" : text; }
  function identity() { try { return localStorage.getItem(ID_KEY); } catch (e) { return null; } }
  function keep(token) { try { if (token) { localStorage.setItem(ID_KEY, token); } } catch (e) { /* private mode */ } }
  function api(path, options) {
    return fetch(BASE + path, options || {}).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
    });
  }
  function post(path, data) {
    return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) });
  }

  function Box(root) {
    this.root = root;
    this.token = root.getAttribute("data-article");
    this.page = 1;
    this.byId = {};
    this.parent = null;
    this.captchaId = null;
    this.open = true;
  }

  Box.prototype.start = function () {
    var self = this;
    self.root.textContent = "";
    self.section = el("section", "khabar");
    self.section.setAttribute("dir", "rtl");
    self.section.setAttribute("lang", "fa");
    self.section.setAttribute("aria-labelledby", "khabar-heading");
    self.heading = el("h2", "", T.heading);
    self.heading.id = "khabar-heading";
    self.list = el("ol", "khabar-list");
    self.note = el("p", "khabar-empty", T.loading);
    self.more = el("button", "khabar-reply khabar-more", T.more);
    self.more.type = "button";
    self.more.hidden = true;
    self.more.addEventListener("click", function () { self.page += 1; self.load(false); });
    self.section.append(self.heading, self.note, self.list, self.more);
    self.root.append(self.section);
    var found = self.token ? Promise.resolve(self.token) : self.find();
    found.then(function (token) {
      if (!token) { self.note.textContent = T.no_article; return; }
      self.token = token;
      return self.load(true).then(function (open) {
        if (open) { self.form(); } else { self.closedNote(); }
      });
    }).catch(function () { self.note.textContent = T.load_failed; });
  };

  Box.prototype.find = function () {
    var canonical = document.querySelector('link[rel="canonical"]');
    var link = this.root.getAttribute("data-link") || (canonical && canonical.href) || location.href.split("#")[0];
    return api("/api/v1/articles?link=" + encodeURIComponent(link)).then(function (r) {
      var items = (r.body && r.body.articles) || [];
      return items.length ? items[0].token : null;
    });
  };

  /* Loads one page of comments; resolves to whether the article takes comments (README's comments_open;
     when the read fails the box stays open, as the server decides on every post anyway). */
  Box.prototype.load = function (fresh) {
    var self = this;
    if (fresh) { self.page = 1; self.list.textContent = ""; self.byId = {}; }
    return api("/api/v1/articles/" + encodeURIComponent(self.token) + "/comments?page=" + self.page).then(function (r) {
      if (r.status !== 200) { self.note.textContent = T.load_failed; return self.open; }
      if (fresh) { self.open = !(r.body.article && r.body.article.comments_open === false); }
      var items = r.body.comments || [];
      self.heading.textContent = T.heading + " (" + fill(T.count, { n: fa(r.body.total || 0) }) + ")";
      items.forEach(function (c) { self.byId[c.id] = c; });
      items.forEach(function (c) { self.list.append(self.item(c)); });
      self.note.textContent = r.body.total ? "" : T.empty;
      self.note.hidden = !!r.body.total;
      self.more.hidden = !(r.body.page < r.body.pages);
      return self.open;
    }).catch(function () { self.note.textContent = T.load_failed; return self.open; });
  };

  /* An article closed by a moderator or by its open hours: its comments stay, the form gives way to a note. */
  Box.prototype.closedNote = function () {
    var note = el("p", "khabar-closed", T.closed);
    note.id = "khabar-closed";
    this.section.append(note);
  };

  Box.prototype.item = function (c) {
    var self = this;
    var li = el("li", "khabar-comment" + (c.parent_id ? " khabar-child" : ""));
    li.id = "khabar-c-" + c.id;
    var meta = el("div", "khabar-meta");
    meta.append(el("span", "khabar-author", c.author), el("span", "khabar-via", c.via === "web" ? T.via_web : T.via_telegram));
    var when = el("time", "", c.created_at_fa || "");
    when.setAttribute("datetime", c.created_at);
    meta.append(when);
    li.append(meta);
    var parent = c.parent_id ? self.byId[c.parent_id] : null;
    if (parent) { li.append(el("p", "khabar-quote", fill(T.in_reply_to, { excerpt: excerpt(parent.text) }))); }
    li.append(el("p", "khabar-text", c.text));
    if (!self.open) { return li; }  // no form to reply in
    var reply = el("button", "khabar-reply", T.reply);
    reply.type = "button";
    reply.setAttribute("aria-label", fill(T.reply_label, { author: c.author }));
    reply.addEventListener("click", function () { self.replyTo(c); });
    li.append(reply);
    return li;
  };

  Box.prototype.field = function (id, label, input) {
    var wrap = el("div", "khabar-field");
    var lab = el("label", "", label);
    lab.setAttribute("for", id);
    input.id = id;
    wrap.append(lab, input);
    return wrap;
  };

  Box.prototype.form = function () {
    var self = this;
    var form = el("form", "khabar-form");
    form.noValidate = true;
    form.setAttribute("aria-labelledby", "khabar-write");
    var h = el("h3", "", T.write);
    h.id = "khabar-write";
    var rules = el("ul", "khabar-rules");
    rules.append(el("li", "", T.rule_1), el("li", "", T.rule_2));
    self.replying = el("p", "khabar-replying");
    self.replying.hidden = true;
    self.replyText = el("span");
    var cancel = el("button", "khabar-reply", T.cancel_reply);
    cancel.type = "button";
    cancel.addEventListener("click", function () { self.replyTo(null); });
    self.replying.append(self.replyText, " ", cancel);
    self.name = el("input");
    self.name.maxLength = 60;
    self.name.autocomplete = "nickname";
    self.text = el("textarea");
    self.text.required = true;
    self.text.maxLength = 4000;
    var captcha = el("div", "khabar-captcha");
    self.question = el("label", "", "…");
    self.question.setAttribute("for", "khabar-answer");
    self.question.id = "khabar-question";
    self.answer = el("input");
    self.answer.id = "khabar-answer";
    self.answer.inputMode = "numeric";
    self.answer.autocomplete = "off";
    self.answer.maxLength = 4;
    self.answer.setAttribute("aria-describedby", "khabar-captcha-help");
    var help = el("span", "", T.captcha);
    help.id = "khabar-captcha-help";
    var fresh = el("button", "khabar-new", T.new_question);
    fresh.type = "button";
    fresh.addEventListener("click", function () { self.captcha(); });
    captcha.append(self.question, self.answer, fresh, help);
    self.send = el("button", "khabar-send", T.send);
    self.send.type = "submit";
    self.status = el("p", "khabar-status");
    self.status.setAttribute("role", "status");
    self.status.setAttribute("aria-live", "polite");
    form.append(h, rules, self.replying, self.field("khabar-name", T.name, self.name),
                self.field("khabar-text", T.text, self.text), captcha, self.send, self.status);
    form.addEventListener("submit", function (event) { event.preventDefault(); self.submit(); });
    self.section.append(form);
    self.captcha();
  };

  Box.prototype.replyTo = function (c) {
    this.parent = c;
    this.replying.hidden = !c;
    this.replyText.textContent = c ? fill(T.replying, { excerpt: excerpt(c.text) }) : "";
    if (c) { this.text.focus(); }
  };

  Box.prototype.captcha = function () {
    var self = this;
    self.answer.value = "";
    return post("/api/v1/captcha", {}).then(function (r) {
      if (r.status !== 201) { self.say(r.body.message || T.network, false); return; }
      self.captchaId = r.body.id;
      self.question.textContent = String(r.body.question).replace(/\s*؟\s*$/, "");
    }).catch(function () { self.say(T.network, false); });
  };

  Box.prototype.say = function (text, ok, errors) {
    var self = this;
    self.status.textContent = text;
    self.status.className = "khabar-status " + (ok ? "khabar-ok" : "khabar-bad");
    var fields = { author: self.name, text: self.text, captcha_answer: self.answer };
    Object.keys(fields).forEach(function (k) { fields[k].removeAttribute("aria-invalid"); });
    if (!errors || typeof errors !== "object") { return; }
    var list = el("ul", "khabar-errors");
    Object.keys(errors).forEach(function (k) {
      if (typeof errors[k] !== "string" || !errors[k]) { return; }
      list.append(el("li", "", errors[k]));
      if (Object.prototype.hasOwnProperty.call(fields, k)) { fields[k].setAttribute("aria-invalid", "true"); }
    });
    if (list.childNodes.length) { self.status.append(list); }
  };

  Box.prototype.submit = function () {
    var self = this;
    if (!self.text.value.trim()) { self.say(T.need_text, false); self.text.focus(); return; }
    if (!self.answer.value.trim()) { self.say(T.need_answer, false); self.answer.focus(); return; }
    var data = { author: self.name.value, text: self.text.value, captcha_id: self.captchaId,
                 captcha_answer: self.answer.value.trim() };
    if (self.parent) { data.parent_id = self.parent.id; }
    var id = identity();
    if (id) { data.identity = id; }
    self.send.disabled = true;
    self.say(T.sending, true);
    post("/api/v1/articles/" + encodeURIComponent(self.token) + "/comments", data).then(function (r) {
      keep(r.body.identity);
      var ok = r.status === 202;
      self.say(r.body.message || T.network, ok, r.status === 400 ? r.body.errors : null);
      if (ok) { self.text.value = ""; self.replyTo(null); }
    }).catch(function () { self.say(T.network, false); }).then(function () {
      self.send.disabled = false;
      self.captcha();
    });
  };

  function styles() {
    if (document.querySelector("link[data-khabar]")) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = BASE + "/widget.css";
    link.setAttribute("data-khabar", "");
    document.head.append(link);
  }

  function boot() {
    styles();
    var roots = document.querySelectorAll("#khabar-comments, [data-khabar-comments]");
    Array.prototype.forEach.call(roots, function (root) { new Box(root).start(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", boot); } else { boot(); }
})();
