/*
 * Candidate widget for the call assistant: a launcher button and a chat panel, in a Web
 * Component whose Shadow DOM keeps its styles apart from the host page's.
 *
 * Embed with one tag; every data- attribute is optional:
 *   <script src="https://HOST/widget/widget.js" data-api-base="https://HOST"
 *           data-title="Questions about the call" data-lang="en" data-position="right"></script>
 *
 * Language: the candidate's own pick in the widget's menu (kept in localStorage), else
 * data-lang, else the language of the page around the widget (<html lang>), else the browser's
 * languages, else English. "fr-BE" is French; a language the widget does not speak is English.
 * data-lang="auto" skips the page's language: for a page that follows the widget's language
 * (the demo page), which announces each change with a "call-assistant-language" event.
 *
 * Rules this file keeps:
 * - Text from the candidate or the server is inserted with textContent / DOM nodes, never as
 *   HTML, so a question or a quote can never run as markup.
 * - No inline styles or scripts: the stylesheet is a <link> to widget.css, so the widget works
 *   under a Content-Security-Policy without 'unsafe-inline'.
 * - The conversation lives in sessionStorage of the host page, never on the server.
 * - Every text of the interface comes from assistant/locales/<code>/widget.toml through
 *   GET /api/locales/<code>; FALLBACK below is the English file, for when that cannot load.
 */
(() => {
  "use strict";

  const TAG = "call-assistant-widget";
  const VERSION = "1";
  const MAX_HISTORY_TURNS = 20; // the server takes 50; 20 keeps requests small
  const MAX_MESSAGE_CHARS = 2000;
  const MAX_COMMENT_CHARS = 1000;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const DEFAULT_LANG = "en";
  const LANG_STORAGE_KEY = "call-assistant:lang";
  const LANGUAGE_EVENT = "call-assistant-language";
  // Past this, the launcher shows in English rather than wait longer for the texts.
  const TEXTS_WAIT_MS = 4000;

  const SUGGESTIONS = [
    "chat.suggestion_deadline",
    "chat.suggestion_who",
    "chat.suggestion_probation",
    "chat.suggestion_languages",
  ];

  // The English texts of assistant/locales/en/widget.toml (its page. keys aside), used only
  // when the server's texts cannot be loaded. tests/web/test_widget_languages.py keeps them equal.
  const FALLBACK = {
    "widget.title": "Questions about the call",
    "widget.open": "Open the assistant: questions about the call",
    "widget.launcher": "Questions?",
    "widget.close": "Close",
    "widget.new_chat": "New chat",
    "widget.new_conversation": "New conversation started.",
    "widget.sections": "Assistant sections",
    "widget.tab_chat": "Ask a question",
    "widget.tab_precheck": "Eligibility pre-check",
    "language.label": "Language",
    "language.unreviewed": "These texts have not yet been checked by a fluent reader.",
    "chat.intro": "Ask about the call EC-2025-HOME-01. Every answer quotes the call, with its sources.",
    "chat.log": "Conversation",
    "chat.suggestions": "Suggested questions",
    "chat.suggestion_deadline": "What is the deadline for expressing interest?",
    "chat.suggestion_who": "Who can apply?",
    "chat.suggestion_probation": "How long is the probationary period?",
    "chat.suggestion_languages": "Which languages are required?",
    "chat.question": "Your question",
    "chat.placeholder": "Type your question…",
    "chat.send": "Send",
    "chat.you": "You:",
    "chat.assistant": "Assistant:",
    "chat.thinking": "Looking it up in the call…",
    "chat.answer_ready": "Answer: {answer}",
    "chat.contact": "You can ask the recruiting team:",
    "sources.title": "Sources",
    "sources.region": "Source",
    "sources.heading": "Source [{n}]",
    "sources.open": "Source {n}: {section}. Open the passage",
    "sources.back": "Back to the conversation",
    "sources.in_context": "The quoted passage, highlighted in its context",
    "sources.loading": "Loading the passage…",
    "feedback.helpful": "Was this answer helpful?",
    "feedback.up": "Helpful",
    "feedback.down": "Not helpful",
    "feedback.comment": "Comment (optional)",
    "feedback.kept": "Your rating is kept with this question, its answer and your comment, to improve the answers. Please do not include personal details.",
    "feedback.send": "Send feedback",
    "feedback.thanks": "Thank you for your feedback.",
    "error.failed": "Sorry, something went wrong: {reason}",
    "error.offline": "the service cannot be reached. Please try again later.",
    "precheck.intro": "Answer what you can: anything left empty is reported as “cannot tell”. Nothing you enter here is stored.",
    "precheck.citizenship": "Citizenship",
    "precheck.nationalities": "Nationalities",
    "precheck.nationalities_hint": "Country names or codes, separated by commas, e.g. Belgium, IT",
    "precheck.rights": "I enjoy my full rights as a citizen",
    "precheck.military": "I have fulfilled any obligations on military service",
    "precheck.fit": "I am physically fit to perform my duties",
    "precheck.character": "I can provide appropriate character references",
    "precheck.epso_legend": "EPSO",
    "precheck.epso": "EPSO CAST Permanent (Function Group IV)",
    "precheck.epso_passed": "Passed",
    "precheck.epso_registered": "Registered, not yet passed",
    "precheck.epso_none": "Not registered",
    "precheck.languages": "Languages",
    "precheck.languages_hint": "Name each language in English or by its two-letter code, e.g. French or fr.",
    "precheck.language": "Language {n}",
    "precheck.level": "Level {n}",
    "precheck.native": "Native",
    "precheck.add_language": "Add a language",
    "precheck.remove": "Remove",
    "precheck.remove_language": "Remove language {n}",
    "precheck.remove_period": "Remove professional experience {n}",
    "precheck.education": "Education",
    "precheck.years": "Years of completed university studies",
    "precheck.diploma": "My studies are attested by a diploma",
    "precheck.experience": "Professional experience",
    "precheck.experience_row": "Professional experience {n}",
    "precheck.from": "From ({n})",
    "precheck.to": "To (empty if ongoing) ({n})",
    "precheck.relevant": "Relevant to the work of DG HOME ({n})",
    "precheck.add_period": "Add a period",
    "precheck.submitted": "When you sent your application (optional)",
    "precheck.check": "Check my eligibility",
    "precheck.checking": "Checking…",
    "precheck.unsure": "Not sure",
    "precheck.yes": "Yes",
    "precheck.no": "No",
    "precheck.result": "Result: {verdict}",
    "precheck.caption": "Result: {reference}",
    "precheck.column_criterion": "Criterion",
    "precheck.column_result": "Result",
    "precheck.clause": "The call says:",
    "precheck.deadline": "Deadline of the call: {date}",
    "precheck.fix": "Please correct: {problems}",
    "precheck.verdict.eligible": "Eligible on what you declared",
    "precheck.verdict.not_eligible": "Not eligible on what you declared",
    "precheck.verdict.incomplete": "Cannot tell yet: some answers are missing",
    "precheck.badge.met": "Met",
    "precheck.badge.not_met": "Not met",
    "precheck.badge.unknown": "Cannot tell"
  };

  // --- small DOM helpers (text only, never HTML) --------------------------------------------

  // What each node shows from the texts: its text and attributes, as [key, params]. Kept beside
  // the node (not as the text itself) so that a change of language relabels it in place.
  const LABELS = new WeakMap();

  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "t") label(node, "text", value);
      else if (key.startsWith("t:")) label(node, key.slice(2), value);
      else if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // `what` is "text" or an attribute's name; `spec` a key, or [key, params].
  function label(node, what, spec) {
    const labels = LABELS.get(node) || {};
    labels[what] = Array.isArray(spec) ? spec : [spec, {}];
    LABELS.set(node, labels);
    node.setAttribute("data-i18n", "");
  }

  function icon(name) {
    const paths = {
      chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
      close: "M6 6l12 12M18 6L6 18",
      send: "M3 20l18-8L3 4v6l12 2-12 2z",
      up: "M7 10v10H3V10h4zm2 10h8.3a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 18.7 9H14l.7-3.6A1.8 1.8 0 0 0 11.5 4L9 10z",
      down: "M7 14V4H3v10h4zm2-10h8.3a2 2 0 0 1 2 1.6l1.4 7a2 2 0 0 1-2 2.4H14l.7 3.6a1.8 1.8 0 0 1-3.2 1.4L9 14z",
      back: "M15 5l-7 7 7 7",
    };
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.classList.add("icon", `icon-${name}`);
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", paths[name]);
    svg.append(path);
    return svg;
  }

  let uid = 0;
  const nextId = (prefix) => `${prefix}-${++uid}`;

  function randomId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // Older browsers: a v4 UUID from getRandomValues.
    const b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // "fr-BE", "PT_br" → "fr", "pt": the widget's texts are per language, not per region.
  function primaryTag(tag) {
    return String(tag || "").replace(/_/g, "-").split("-")[0].trim().toLowerCase();
  }

  function storedLanguage() {
    try {
      return window.localStorage.getItem(LANG_STORAGE_KEY);
    } catch (_) {
      return null; // storage blocked: the choice is only not remembered
    }
  }

  function rememberLanguage(code) {
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, code);
    } catch (_) {
      /* storage blocked: the choice holds until the page is left */
    }
  }

  // The call's text holds markdown links whose targets were not kept ("[CAST Permanent](#)"):
  // shown as their words. The API's quotes stay verbatim; this is only how they are read.
  function readableText(text) {
    return text.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/\\([()])/g, "$1");
  }

  // The call's words inside an answer in another language, marked as English so that a screen
  // reader switches voice for them; `quotes` are as the answer shows them (citation.shown).
  function withEnglishQuotes(text, quotes) {
    for (const quote of quotes) {
      // The last one: the quote stands just before its mark, at the end of `text`.
      const at = text.lastIndexOf(quote);
      if (at < 0) continue;
      return [
        ...withEnglishQuotes(text.slice(0, at), quotes),
        h("span", { lang: "en", text: quote }),
        ...withEnglishQuotes(text.slice(at + quote.length), quotes),
      ];
    }
    return text ? [document.createTextNode(text)] : [];
  }

  async function errorMessage(response) {
    try {
      const body = await response.json();
      if (typeof body.message === "string") return body.message;
      if (typeof body.detail === "string") return body.detail;
    } catch (_) {
      /* not JSON: fall through */
    }
    return `HTTP ${response.status}`;
  }

  // Server-Sent Events over fetch (the stream endpoint is a POST, which EventSource cannot do).
  async function* readEvents(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let event = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue; // a comment (keep-alive ping)
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let val = colon < 0 ? "" : line.slice(colon + 1);
          if (val.startsWith(" ")) val = val.slice(1);
          if (field === "event") event = val;
          else if (field === "data") data.push(val);
        }
        if (data.length) yield { event, data: data.join("\n") };
      }
    }
  }

  // --- the element -------------------------------------------------------------------------

  class CallAssistantWidget extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      // English until the chosen language's texts arrive; the frame stays hidden till then.
      this.code = DEFAULT_LANG;
      this.t = FALLBACK;
      this.languages = [];
      this.locales = new Map(); // code → the server's texts of that language
      this.languageTicket = 0;
      this.useFormats(DEFAULT_LANG);
      const base = this.getAttribute("api-base") || window.location.origin;
      this.apiBase = base.replace(/\/+$/, "");
      this.heading = this.getAttribute("heading");
      this.position = this.getAttribute("position") === "left" ? "left" : "right";
      this.storageKey = `call-assistant:v${VERSION}:${this.apiBase}`;
      this.state = this.load();
      this.passages = new Map();
      this.busy = false;
      this.render();
      this.start();
    }

    // -- texts ------------------------------------------------------------------------------

    useFormats(code) {
      this.numbers = new Intl.NumberFormat(code);
      this.dates = new Intl.DateTimeFormat(code, {
        day: "numeric",
        month: "long",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        timeZoneName: "short",
      });
      this.plurals = new Intl.PluralRules(code);
    }

    // The text of `key` with its {placeholders} filled; numbers and dates in the language's
    // own format; a param {key} is itself a text (its `fallback` when the texts lack it).
    text(key, params = {}) {
      let template = this.t[key] ?? FALLBACK[key];
      if (template && typeof template === "object") {
        // A count's text, per CLDR plural category of the language.
        template = template[this.plurals.select(Number(params.n))] ?? template.other;
      }
      if (typeof template !== "string") return key;
      return template.replace(/\{(\w+)\}/g, (whole, name) =>
        name in params ? this.param(params[name]) : whole,
      );
    }

    param(value) {
      if (typeof value === "number") return this.numbers.format(value);
      if (value instanceof Date) return this.dates.format(value);
      if (value && typeof value === "object") {
        const known = value.key in this.t || value.key in FALLBACK;
        return known ? this.text(value.key, value.params) : String(value.fallback ?? value.key);
      }
      return String(value);
    }

    // Writes the texts of `root` and of every labelled node in it, in the current language.
    localize(root) {
      const nodes = root.querySelectorAll ? [...root.querySelectorAll("[data-i18n]")] : [];
      if (root instanceof Element && root.hasAttribute("data-i18n")) nodes.push(root);
      for (const node of nodes) {
        for (const [what, [key, params]] of Object.entries(LABELS.get(node) || {})) {
          const value = this.text(key, params);
          if (what === "text") node.textContent = value;
          else node.setAttribute(what, value);
        }
      }
      return root;
    }

    // Gives `node` another text (or attribute `what`) and writes it now.
    relabel(node, key, params = {}, what = "text") {
      label(node, what, [key, params]);
      return this.localize(node);
    }

    async getJSON(path) {
      const response = await fetch(`${this.apiBase}${path}`, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(await errorMessage(response));
      return response.json();
    }

    // Loads the languages and the chosen one's texts, then shows the launcher (after the
    // stylesheet too): a French visitor never sees the English launcher flash by first.
    async start() {
      const loaded = this.loadLanguages().catch(() => {
        /* the server's texts are out of reach: the widget speaks the built-in English */
      });
      const waited = new Promise((resolve) => window.setTimeout(resolve, TEXTS_WAIT_MS));
      await Promise.all([this.styled, Promise.race([loaded, waited])]);
      this.frame.hidden = false;
    }

    async loadLanguages() {
      this.languages = await this.getJSON("/api/locales");
      this.fillLanguageMenu();
      await this.useLanguage(this.chooseLanguage(), { remember: false });
    }

    chooseLanguage() {
      const codes = new Set(this.languages.map((l) => l.code));
      const resolve = (tag) => (codes.has(primaryTag(tag)) ? primaryTag(tag) : DEFAULT_LANG);
      // The candidate's own pick comes first: the rest are guesses about them.
      const stored = storedLanguage();
      if (stored && codes.has(stored)) return stored;
      const wanted = (this.getAttribute("data-lang") || "").trim();
      if (wanted && wanted !== "auto") return resolve(wanted);
      if (wanted !== "auto") {
        // The language of the page around the widget: <html lang>, or a closer lang=.
        const around = this.closest("[lang]");
        const tag = around ? around.getAttribute("lang").trim() : "";
        if (tag) return resolve(tag);
      }
      const browser = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
      const spoken = browser.map(primaryTag).find((code) => codes.has(code));
      return spoken || DEFAULT_LANG;
    }

    async useLanguage(code, { remember }) {
      const ticket = ++this.languageTicket;
      let locale = this.locales.get(code);
      if (!locale) {
        locale = await this.getJSON(`/api/locales/${encodeURIComponent(code)}`);
        this.locales.set(code, locale);
      }
      if (ticket !== this.languageTicket) return; // a later pick won while this one loaded
      this.code = locale.code;
      this.t = { ...FALLBACK, ...locale.texts };
      this.useFormats(this.code);
      this.frame.setAttribute("lang", this.code);
      this.languageMenu.value = this.code;
      this.unreviewedNote.hidden = locale.reviewed;
      this.localize(this.shadowRoot);
      if (remember) rememberLanguage(this.code);
      // The host page may follow (the demo page translates itself with the page. texts).
      this.dispatchEvent(
        new CustomEvent(LANGUAGE_EVENT, {
          bubbles: true,
          detail: { lang: this.code, name: locale.name, reviewed: locale.reviewed, texts: this.t },
        }),
      );
    }

    fillLanguageMenu() {
      this.languageMenu.replaceChildren(
        ...this.languages.map((l) =>
          // Each name in its own language, and marked so: a screen reader says "Deutsch" in German.
          h("option", { value: l.code, lang: l.code, text: l.name }),
        ),
      );
      this.languageMenu.value = this.code;
      this.languageBar.hidden = this.languages.length < 2;
    }

    async pickLanguage(code) {
      try {
        await this.useLanguage(code, { remember: true });
      } catch (error) {
        this.languageMenu.value = this.code;
        this.announce(this.text("error.failed", { reason: error.message }));
      }
    }

    // -- persistence (sessionStorage: survives a reload, not the closing of the tab) --------

    load() {
      try {
        const saved = JSON.parse(window.sessionStorage.getItem(this.storageKey) || "null");
        if (saved && Array.isArray(saved.messages)) return saved;
      } catch (_) {
        /* storage blocked or corrupt: start afresh */
      }
      return { conversationId: randomId(), messages: [], open: false };
    }

    save() {
      try {
        window.sessionStorage.setItem(this.storageKey, JSON.stringify(this.state));
      } catch (_) {
        /* storage full or blocked: the conversation still works, it is just not kept */
      }
    }

    // -- layout ---------------------------------------------------------------------------

    render() {
      const root = this.attachShadow({ mode: "open" });
      const link = h("link", { rel: "stylesheet", href: `${this.apiBase}/widget/widget.css` });
      // Hidden until the stylesheet (and the texts, see start) arrive, so the host page never
      // shows unstyled controls.
      this.frame = h("div", { className: `frame pos-${this.position}`, lang: this.code, hidden: true });
      this.styled = new Promise((resolve) => {
        link.addEventListener("load", resolve);
        link.addEventListener("error", resolve);
      });

      const panelId = nextId("panel");
      const titleId = nextId("title");
      this.launcher = h(
        "button",
        {
          type: "button",
          className: "launcher",
          "aria-expanded": "false",
          "aria-controls": panelId,
          "t:aria-label": "widget.open",
          onclick: () => this.toggle(true),
        },
        icon("chat"),
        h("span", { className: "launcher-text", t: "widget.launcher" }),
      );

      this.announcer = h("div", { className: "sr-only", "aria-live": "polite", role: "status" });

      this.tabChat = h("button", {
        type: "button",
        role: "tab",
        id: nextId("tab"),
        className: "tab",
        "aria-selected": "true",
        t: "widget.tab_chat",
      });
      this.tabPrecheck = h("button", {
        type: "button",
        role: "tab",
        id: nextId("tab"),
        className: "tab",
        "aria-selected": "false",
        tabindex: "-1",
        t: "widget.tab_precheck",
      });
      const tablist = h(
        "div",
        { role: "tablist", "t:aria-label": "widget.sections", className: "tabs" },
        [this.tabChat, this.tabPrecheck],
      );
      tablist.addEventListener("keydown", (e) => this.onTabKey(e));
      this.tabChat.addEventListener("click", () => this.selectTab("chat"));
      this.tabPrecheck.addEventListener("click", () => this.selectTab("precheck"));

      this.chatView = this.renderChat();
      this.precheckView = this.renderPrecheck();
      this.chatView.id = nextId("view");
      this.precheckView.id = nextId("view");
      this.chatView.setAttribute("aria-labelledby", this.tabChat.id);
      this.precheckView.setAttribute("aria-labelledby", this.tabPrecheck.id);
      this.tabChat.setAttribute("aria-controls", this.chatView.id);
      this.tabPrecheck.setAttribute("aria-controls", this.precheckView.id);
      this.precheckView.hidden = true;

      this.sourceView = this.renderSourceView();

      this.newChatButton = h("button", {
        type: "button",
        className: "text-button",
        t: "widget.new_chat",
        onclick: () => this.newChat(),
      });
      // The host's own title is in the host page's language, whatever the widget speaks.
      const title = this.heading
        ? h("h2", { id: titleId, className: "panel-title", text: this.heading, lang: this.pageLanguage() })
        : h("h2", { id: titleId, className: "panel-title", t: "widget.title" });
      this.panel = h(
        "section",
        {
          className: "panel",
          id: panelId,
          role: "dialog",
          "aria-labelledby": titleId,
          hidden: true,
        },
        // A div, not a header: a header here would be a second "banner" landmark beside the
        // host page's own (axe-core: landmark-no-duplicate-banner).
        h(
          "div",
          { className: "panel-header" },
          title,
          this.newChatButton,
          h(
            "button",
            {
              type: "button",
              className: "icon-button close",
              "t:aria-label": "widget.close",
              onclick: () => this.toggle(false),
            },
            icon("close"),
          ),
        ),
        this.renderLanguageBar(),
        tablist,
        h("div", { className: "views" }, this.chatView, this.precheckView, this.sourceView),
        this.announcer,
      );
      this.panel.addEventListener("keydown", (e) => {
        if (e.key !== "Escape") return;
        e.stopPropagation();
        if (!this.sourceView.hidden) this.closeSource();
        else this.toggle(false);
      });

      this.frame.append(this.launcher, this.panel);
      root.append(link, this.frame);
      this.state.messages.forEach((m) => this.log.append(this.renderMessage(m)));
      this.localize(root);
      this.updateSuggestions();
      if (this.state.open) this.toggle(true, { focus: false });
    }

    pageLanguage() {
      const around = this.closest("[lang]");
      return around ? around.getAttribute("lang") : null;
    }

    renderLanguageBar() {
      const menuId = nextId("language");
      // A native select: every screen reader and keyboard knows it, on phones too. Its options
      // arrive with the list of languages; until then the bar is hidden.
      this.languageMenu = h("select", {
        id: menuId,
        className: "language-menu",
        onchange: () => this.pickLanguage(this.languageMenu.value),
      });
      this.unreviewedNote = h("p", { className: "language-note", t: "language.unreviewed", hidden: true });
      this.languageBar = h(
        "div",
        { className: "language-bar", hidden: true },
        h("label", { for: menuId, className: "language-label", t: "language.label" }),
        this.languageMenu,
        this.unreviewedNote,
      );
      return this.languageBar;
    }

    renderChat() {
      this.log = h("ol", { className: "log", "t:aria-label": "chat.log" });
      this.suggestions = h(
        "div",
        { className: "suggestions" },
        h("p", { className: "suggestions-title", id: nextId("sugg"), t: "chat.suggestions" }),
        h(
          "ul",
          {},
          SUGGESTIONS.map((key) =>
            h(
              "li",
              {},
              h("button", {
                type: "button",
                className: "chip",
                t: key,
                // Asked as shown: in the language the widget speaks when it is chosen.
                onclick: (e) => this.ask(e.currentTarget.textContent),
              }),
            ),
          ),
        ),
      );
      const inputId = nextId("question");
      this.input = h("textarea", {
        id: inputId,
        rows: "2",
        maxlength: String(MAX_MESSAGE_CHARS),
        "t:placeholder": "chat.placeholder",
        className: "input",
        autocomplete: "off",
      });
      this.input.addEventListener("keydown", (e) => {
        // Enter sends, Shift+Enter starts a new line (as in most chat tools).
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          this.form.requestSubmit();
        }
      });
      this.sendButton = h(
        "button",
        { type: "submit", className: "send", "t:aria-label": "chat.send" },
        icon("send"),
      );
      this.form = h(
        "form",
        { className: "composer" },
        h("label", { for: inputId, className: "sr-only", t: "chat.question" }),
        this.input,
        this.sendButton,
      );
      this.form.addEventListener("submit", (e) => {
        e.preventDefault();
        this.ask(this.input.value);
      });
      return h(
        "div",
        { role: "tabpanel", className: "view chat-view" },
        h(
          "div",
          { className: "scroller" },
          h("p", { className: "intro", t: "chat.intro" }),
          this.log,
          this.suggestions,
        ),
        this.form,
      );
    }

    renderSourceView() {
      this.sourceTitle = h("h3", { className: "source-title", tabindex: "-1" });
      // The call's own title, section and words: English, whatever the widget speaks.
      this.sourceDoc = h("p", { className: "source-doc", lang: "en" });
      this.sourceSection = h("p", { className: "source-section", lang: "en" });
      this.sourceText = h("blockquote", {
        className: "source-text",
        lang: "en",
        "t:aria-label": "sources.in_context",
      });
      return h(
        "div",
        { className: "view source-view", role: "region", "t:aria-label": "sources.region", hidden: true },
        h(
          "button",
          { type: "button", className: "text-button back", onclick: () => this.closeSource() },
          icon("back"),
          h("span", { t: "sources.back" }),
        ),
        this.sourceTitle,
        this.sourceDoc,
        this.sourceSection,
        this.sourceText,
      );
    }

    // -- open, close, tabs ------------------------------------------------------------------

    toggle(open, { focus = true } = {}) {
      this.panel.hidden = !open;
      this.launcher.hidden = open;
      this.launcher.setAttribute("aria-expanded", String(open));
      this.state.open = open;
      this.save();
      if (!focus) return;
      // preventScroll: the panel is fixed, so the host page has no reason to move.
      if (open) {
        (this.precheckView.hidden ? this.input : this.tabPrecheck).focus({ preventScroll: true });
      } else {
        this.launcher.focus({ preventScroll: true });
      }
    }

    selectTab(name) {
      const chat = name === "chat";
      this.closeSource({ focus: false });
      this.tabChat.setAttribute("aria-selected", String(chat));
      this.tabPrecheck.setAttribute("aria-selected", String(!chat));
      this.tabChat.tabIndex = chat ? 0 : -1;
      this.tabPrecheck.tabIndex = chat ? -1 : 0;
      this.chatView.hidden = !chat;
      this.precheckView.hidden = chat;
      this.newChatButton.hidden = !chat;
    }

    onTabKey(e) {
      const tabs = [this.tabChat, this.tabPrecheck];
      const i = tabs.indexOf(this.shadowRoot.activeElement);
      if (i < 0) return;
      let j = null;
      if (e.key === "ArrowRight") j = (i + 1) % tabs.length;
      else if (e.key === "ArrowLeft") j = (i + tabs.length - 1) % tabs.length;
      else if (e.key === "Home") j = 0;
      else if (e.key === "End") j = tabs.length - 1;
      if (j === null) return;
      e.preventDefault();
      this.selectTab(j === 0 ? "chat" : "precheck");
      tabs[j].focus();
    }

    // -- conversation ---------------------------------------------------------------------

    newChat() {
      this.state = { conversationId: randomId(), messages: [], open: true };
      this.save();
      this.log.replaceChildren();
      this.updateSuggestions();
      this.closeSource({ focus: false });
      this.announce(this.text("widget.new_conversation"));
      this.input.value = "";
      this.input.focus();
    }

    updateSuggestions() {
      this.suggestions.hidden = this.state.messages.length > 0;
    }

    announce(text) {
      // Emptied first, so the same text twice is still read out.
      this.announcer.textContent = "";
      window.setTimeout(() => (this.announcer.textContent = text), 50);
    }

    history() {
      const turns = [];
      for (const m of this.state.messages) {
        if (m.role === "user") turns.push({ role: "user", content: m.text });
        else if (m.answer) turns.push({ role: "assistant", content: m.answer.answer });
      }
      return turns.slice(-MAX_HISTORY_TURNS);
    }

    async ask(raw) {
      const message = String(raw || "").trim();
      if (!message || this.busy) return;
      this.busy = true;
      this.sendButton.disabled = true;
      const history = this.history();
      const user = { role: "user", text: message };
      this.state.messages.push(user);
      this.save();
      this.log.append(this.renderMessage(user));
      this.input.value = "";
      this.updateSuggestions();

      const pending = h("li", { className: "msg msg-assistant", "aria-busy": "true" });
      const body = h("p", { className: "msg-text", t: "chat.thinking" });
      pending.append(h("span", { className: "sr-only", t: "chat.assistant" }), body);
      this.log.append(this.localize(pending));
      this.scrollToEnd();

      let item;
      try {
        const response = await fetch(`${this.apiBase}/api/chat/stream`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
          // lang: the language to answer in when the question alone cannot tell ("CAST?").
          body: JSON.stringify({ message, history, lang: this.code }),
        });
        if (!response.ok) throw new Error(await errorMessage(response));
        let text = "";
        let answer = null;
        for await (const { event, data } of readEvents(response)) {
          if (event === "delta") {
            text += JSON.parse(data).text;
            LABELS.delete(body); // the streamed answer, no longer the "looking it up" text
            body.textContent = text;
            this.scrollToEnd();
          } else if (event === "done") {
            answer = JSON.parse(data);
          }
        }
        if (!answer) throw new Error(this.text("error.offline"));
        item = { role: "assistant", question: message, answer, id: randomId() };
      } catch (error) {
        const reason = error instanceof TypeError ? this.text("error.offline") : error.message;
        // Kept with its language: a later change of language does not rewrite past messages.
        item = { role: "error", text: this.text("error.failed", { reason }), lang: this.code };
      }
      this.state.messages.push(item);
      this.save();
      const rendered = this.renderMessage(item);
      pending.replaceWith(rendered);
      this.announce(
        item.role === "assistant"
          ? this.text("chat.answer_ready", { answer: item.answer.answer })
          : item.text,
      );
      this.busy = false;
      this.sendButton.disabled = false;
      this.scrollToEnd();
    }

    scrollToEnd() {
      const scroller = this.chatView.querySelector(".scroller");
      scroller.scrollTop = scroller.scrollHeight;
    }

    renderMessage(m) {
      if (m.role === "user") {
        return this.localize(
          h(
            "li",
            { className: "msg msg-user" },
            h("span", { className: "sr-only", t: "chat.you" }),
            h("p", { className: "msg-text", text: m.text }),
          ),
        );
      }
      if (m.role === "error") {
        return h("li", { className: "msg msg-error", role: "alert", lang: m.lang }, h("p", { text: m.text }));
      }
      const a = m.answer;
      const byId = new Map(a.citations.map((c) => [c.id, c]));
      // The answer's own sentences are in its language (the server says which); the call's
      // words it quotes stay English, each just before its mark, and are marked so.
      const lang = a.lang || DEFAULT_LANG;
      const text = h("p", { className: "msg-text", lang });
      const mark = (part) => {
        const match = /^\[(\d+)\]$/.exec(part || "");
        return match ? byId.get(Number(match[1])) : null;
      };
      // "[n]" marks become buttons that open source n; everything else stays plain text.
      const parts = a.answer.split(/(\[\d+\])/);
      parts.forEach((part, i) => {
        const citation = mark(part);
        if (citation) {
          text.append(this.citeButton(citation, `[${citation.id}]`, "cite"));
        } else if (part) {
          const quoted = lang === "en" ? null : mark(parts[i + 1]);
          text.append(...withEnglishQuotes(part, quoted?.shown ? [quoted.shown] : []));
        }
      });
      const li = h(
        "li",
        { className: `msg msg-assistant status-${a.status}` },
        h("span", { className: "sr-only", t: "chat.assistant" }),
        text,
      );
      if (a.status !== "answered" && a.contact) {
        li.append(
          h(
            "p",
            { className: "contact" },
            h("span", { t: "chat.contact" }),
            " ",
            h("a", { href: `mailto:${a.contact}`, text: a.contact }),
          ),
        );
      }
      if (a.citations.length) {
        li.append(
          h(
            "div",
            { className: "sources" },
            h("p", { className: "sources-title", t: "sources.title" }),
            h(
              "ol",
              {},
              a.citations.map((c) =>
                h(
                  "li",
                  {},
                  this.citeButton(c, [`[${c.id}] `, h("span", { lang: "en", text: c.section })], "source-link"),
                ),
              ),
            ),
          ),
        );
      }
      li.append(this.renderFeedback(m));
      return this.localize(li);
    }

    citeButton(citation, content, className) {
      return h(
        "button",
        {
          type: "button",
          className,
          "t:aria-label": ["sources.open", { n: citation.id, section: citation.section }],
          "data-citation": String(citation.id),
          onclick: (e) => this.openSource(citation, e.currentTarget),
        },
        content,
      );
    }

    // -- sources ----------------------------------------------------------------------------

    async openSource(citation, opener) {
      this.sourceOpener = opener;
      this.relabel(this.sourceTitle, "sources.heading", { n: citation.id });
      this.sourceDoc.textContent = citation.title;
      this.sourceSection.textContent = citation.section;
      this.sourceText.replaceChildren(this.localize(h("span", { lang: this.code, t: "sources.loading" })));
      this.chatView.hidden = true;
      this.sourceView.hidden = false;
      this.sourceTitle.focus();
      const key = `${citation.doc_id}:${citation.start}:${citation.end}`;
      try {
        let context = this.passages.get(key);
        if (!context) {
          const params = new URLSearchParams({
            doc_id: citation.doc_id,
            start: String(citation.start),
            end: String(citation.end),
          });
          const response = await fetch(`${this.apiBase}/api/passage?${params}`);
          if (!response.ok) throw new Error(await errorMessage(response));
          context = await response.json();
          this.passages.set(key, context);
        }
        const { text, highlight_start: from, highlight_end: to } = context;
        if (context.section) this.sourceSection.textContent = context.section;
        this.sourceText.replaceChildren(
          document.createTextNode(readableText(text.slice(0, from))),
          h("mark", { text: readableText(text.slice(from, to)) }),
          document.createTextNode(readableText(text.slice(to))),
        );
        // Scroll the viewer only (scrollIntoView would scroll the host page too), and only
        // when the quote is below the fold, so the title and Back stay in sight otherwise.
        const mark = this.sourceText.querySelector("mark");
        const view = this.sourceView;
        if (mark && mark.offsetTop + mark.offsetHeight > view.scrollTop + view.clientHeight) {
          view.scrollTop = mark.offsetTop - 96;
        }
      } catch (error) {
        // The quote itself is in the answer: show it even when its context cannot be loaded.
        this.sourceText.replaceChildren(h("mark", { text: readableText(citation.quote) }));
      }
    }

    closeSource({ focus = true } = {}) {
      if (this.sourceView.hidden) return;
      this.sourceView.hidden = true;
      this.chatView.hidden = this.tabChat.getAttribute("aria-selected") !== "true";
      if (focus && this.sourceOpener && this.sourceOpener.isConnected) this.sourceOpener.focus();
    }

    // -- feedback ---------------------------------------------------------------------------

    renderFeedback(m) {
      const box = h("div", { className: "feedback" });
      if (m.feedbackSent) {
        box.append(h("p", { className: "thanks", t: "feedback.thanks" }));
        return this.localize(box);
      }
      const group = h("div", { className: "thumbs", role: "group", "t:aria-label": "feedback.helpful" });
      const prompt = h("span", { className: "feedback-label", t: "feedback.helpful", "aria-hidden": "true" });
      const commentId = nextId("comment");
      const comment = h("textarea", {
        id: commentId,
        rows: "2",
        maxlength: String(MAX_COMMENT_CHARS),
        className: "comment",
      });
      const send = h("button", { type: "submit", className: "small-button", t: "feedback.send" });
      const form = h(
        "form",
        { className: "feedback-form", hidden: true },
        h("label", { for: commentId, t: "feedback.comment" }),
        comment,
        h("p", { className: "feedback-note", t: "feedback.kept" }),
        send,
      );
      let rating = null;
      const thumbs = ["up", "down"].map((value) => {
        const button = h(
          "button",
          {
            type: "button",
            className: "icon-button thumb",
            "aria-pressed": "false",
            "t:aria-label": `feedback.${value}`,
            "data-rating": value,
          },
          icon(value),
        );
        button.addEventListener("click", () => {
          rating = value;
          thumbs.forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
          form.hidden = false;
          comment.focus();
        });
        return button;
      });
      group.append(prompt, ...thumbs);
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        if (!rating) return;
        send.disabled = true;
        try {
          const response = await fetch(`${this.apiBase}/api/feedback`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
              rating,
              comment: comment.value.trim() || null,
              question: m.question,
              answer: m.answer.answer,
              status: m.answer.status,
              conversation_id: this.state.conversationId,
              // So that staff reviewing the rating see the sources the answer showed.
              citations: (m.answer.citations || []).slice(0, 50).map((c) => ({
                doc_id: c.doc_id,
                start: c.start,
                end: c.end,
                quote: c.quote,
              })),
            }),
          });
          if (!response.ok) throw new Error(await errorMessage(response));
          m.feedbackSent = rating;
          this.save();
          const thanks = h("p", { className: "thanks", tabindex: "-1", t: "feedback.thanks" });
          box.replaceChildren(this.localize(thanks));
          thanks.focus();
          this.announce(this.text("feedback.thanks"));
        } catch (error) {
          send.disabled = false;
          this.announce(this.text("error.failed", { reason: error.message }));
        }
      });
      box.append(group, form);
      return this.localize(box);
    }

    // -- pre-check --------------------------------------------------------------------------

    renderPrecheck() {
      const field = (spec, control, hint) => {
        const id = nextId("f");
        control.id = id;
        const parts = [h("label", { for: id, t: spec })];
        if (hint) {
          const hintId = nextId("hint");
          control.setAttribute("aria-describedby", hintId);
          parts.push(h("p", { className: "hint", id: hintId, t: hint }));
        }
        return h("div", { className: "field" }, parts, control);
      };
      const triState = (name) =>
        h(
          "select",
          { name },
          h("option", { value: "", t: "precheck.unsure" }),
          h("option", { value: "true", t: "precheck.yes" }),
          h("option", { value: "false", t: "precheck.no" }),
        );
      const levels = () =>
        h(
          "select",
          { name: "level" },
          ["C2", "C1", "B2", "B1", "A2", "A1"].map((l) => h("option", { value: l, text: l })),
          h("option", { value: "native", t: "precheck.native" }),
        );

      // What the server accepts for a language: an English name or a code, said once for all rows.
      const languagesHintId = nextId("hint");
      this.languageRows = h("div", { className: "rows" });
      this.periodRows = h("div", { className: "rows" });
      const addLanguage = () => {
        const n = this.languageRows.children.length + 1;
        const name = h("input", {
          type: "text",
          name: "language",
          autocomplete: "off",
          "aria-describedby": languagesHintId,
        });
        const row = h(
          "div",
          { className: "row" },
          field(["precheck.language", { n }], name),
          field(["precheck.level", { n }], levels()),
        );
        row.append(this.removeButton(row, "precheck.remove_language", n));
        this.languageRows.append(this.localize(row));
        return row;
      };
      const addPeriod = () => {
        const n = this.periodRows.children.length + 1;
        const row = h(
          "div",
          { className: "row row-period" },
          field(["precheck.from", { n }], h("input", { type: "date", name: "start" })),
          field(["precheck.to", { n }], h("input", { type: "date", name: "end" })),
          field(["precheck.relevant", { n }], triState("relevant")),
        );
        row.append(this.removeButton(row, "precheck.remove_period", n));
        this.periodRows.append(this.localize(row));
        return row;
      };
      addLanguage();
      addLanguage();
      addPeriod();
      const addButton = (key, add) =>
        h("button", {
          type: "button",
          className: "small-button",
          t: key,
          onclick: () => add().querySelector("input, select").focus(),
        });

      this.pcError = h("p", { className: "form-error", role: "alert", hidden: true });
      this.pcButton = h("button", { type: "submit", className: "primary", t: "precheck.check" });
      this.pcResult = h("div", { className: "pc-result", hidden: true });
      const form = h(
        "form",
        { className: "precheck", novalidate: true },
        h("p", { className: "intro", t: "precheck.intro" }),
        h(
          "fieldset",
          {},
          h("legend", { t: "precheck.citizenship" }),
          field(
            "precheck.nationalities",
            h("input", { type: "text", name: "nationalities", autocomplete: "off" }),
            "precheck.nationalities_hint",
          ),
          field("precheck.rights", triState("full_citizen_rights")),
          field("precheck.military", triState("military_service_fulfilled")),
          field("precheck.fit", triState("physically_fit")),
          field("precheck.character", triState("character_references")),
        ),
        h(
          "fieldset",
          {},
          h("legend", { t: "precheck.epso_legend" }),
          field(
            "precheck.epso",
            h(
              "select",
              { name: "epso_cast" },
              h("option", { value: "", t: "precheck.unsure" }),
              h("option", { value: "passed", t: "precheck.epso_passed" }),
              h("option", { value: "registered", t: "precheck.epso_registered" }),
              h("option", { value: "none", t: "precheck.epso_none" }),
            ),
          ),
        ),
        h(
          "fieldset",
          {},
          h("legend", { t: "precheck.languages" }),
          h("p", { className: "hint rows-hint", id: languagesHintId, t: "precheck.languages_hint" }),
          this.languageRows,
          addButton("precheck.add_language", addLanguage),
        ),
        h(
          "fieldset",
          {},
          h("legend", { t: "precheck.education" }),
          field(
            "precheck.years",
            h("input", { type: "number", name: "years", min: "0", max: "20", step: "0.5", inputmode: "decimal" }),
          ),
          field("precheck.diploma", triState("diploma")),
        ),
        h(
          "fieldset",
          {},
          h("legend", { t: "precheck.experience" }),
          this.periodRows,
          addButton("precheck.add_period", addPeriod),
        ),
        field("precheck.submitted", h("input", { type: "datetime-local", name: "submitted_at" })),
        this.pcError,
        this.pcButton,
      );
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        this.precheck(form);
      });
      return h(
        "div",
        { role: "tabpanel", className: "view precheck-view" },
        h("div", { className: "scroller" }, form, this.pcResult),
      );
    }

    removeButton(row, key, n) {
      return h("button", {
        type: "button",
        className: "text-button remove",
        t: "precheck.remove",
        "t:aria-label": [key, { n }],
        onclick: () => {
          const next = row.nextElementSibling || row.previousElementSibling;
          const container = row.parentElement;
          row.remove();
          const target = next || container.parentElement.querySelector(".small-button");
          if (target) (target.querySelector("input, select") || target).focus();
        },
      });
    }

    // A refused profile in the form's own words ("Language 2: level 'D4' is not …"), not the
    // API's field paths ("languages.1.level: …"); null when the body holds no field errors.
    profileProblems(body) {
      if (!body || !Array.isArray(body.detail)) return null;
      const names = {
        nationalities: "precheck.nationalities",
        full_citizen_rights: "precheck.rights",
        military_service_fulfilled: "precheck.military",
        physically_fit: "precheck.fit",
        character_references: "precheck.character",
        epso_cast: "precheck.epso",
        education: "precheck.education",
        submitted_at: "precheck.submitted",
      };
      // One row of the form per item: named with its number, as its fields are labelled.
      const rows = { languages: "precheck.language", experience: "precheck.experience_row" };
      return body.detail
        .map((problem) => {
          const loc = (problem.loc || []).filter((part) => part !== "body");
          let name = null;
          if (rows[loc[0]] && typeof loc[1] === "number") name = this.text(rows[loc[0]], { n: loc[1] + 1 });
          else if (names[loc[0]]) name = this.text(names[loc[0]]);
          return name ? `${name}: ${problem.msg}` : problem.msg;
        })
        .join(" · ");
    }

    profile(form) {
      const value = (root, name) => {
        const el = root.querySelector(`[name="${name}"]`);
        return el ? el.value.trim() : "";
      };
      const bool = (root, name) => {
        const v = value(root, name);
        return v === "" ? undefined : v === "true";
      };
      const profile = {};
      const nationalities = value(form, "nationalities")
        .split(/[,;]/)
        .map((s) => s.trim())
        .filter(Boolean);
      if (nationalities.length) profile.nationalities = nationalities;
      for (const name of ["full_citizen_rights", "military_service_fulfilled", "physically_fit", "character_references"]) {
        const v = bool(form, name);
        if (v !== undefined) profile[name] = v;
      }
      if (value(form, "epso_cast")) profile.epso_cast = value(form, "epso_cast");
      const languages = [...this.languageRows.children]
        .map((row) => ({ language: value(row, "language"), level: value(row, "level") }))
        .filter((l) => l.language);
      if (languages.length) profile.languages = languages;
      const years = value(form, "years");
      const diploma = bool(form, "diploma");
      if (years !== "" || diploma !== undefined) {
        profile.education = {};
        if (years !== "") profile.education.years = Number(years);
        if (diploma !== undefined) profile.education.diploma = diploma;
      }
      const periods = [...this.periodRows.children]
        .filter((row) => value(row, "start"))
        .map((row) => {
          const period = { start: value(row, "start"), end: value(row, "end") || null };
          const relevant = bool(row, "relevant");
          if (relevant !== undefined) period.relevant = relevant;
          return period;
        });
      if (periods.length) profile.experience = periods;
      const submitted = value(form, "submitted_at");
      if (submitted) profile.submitted_at = withOffset(submitted);
      return profile;
    }

    async precheck(form) {
      this.pcError.hidden = true;
      // The verdict on screen is for the profile as it was: gone as soon as it is checked again,
      // so that it is never read as the verdict of a profile that could not be checked.
      this.pcResult.hidden = true;
      this.pcResult.replaceChildren();
      this.pcButton.disabled = true;
      this.relabel(this.pcButton, "precheck.checking");
      try {
        // lang: the reasons of the verdict in the widget's language, where the server has them.
        const query = new URLSearchParams({ lang: this.code });
        const response = await fetch(`${this.apiBase}/api/precheck?${query}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(this.profile(form)),
        });
        if (response.status === 422) {
          const problems = this.profileProblems(await response.clone().json().catch(() => null));
          if (problems) {
            this.pcError.textContent = this.text("precheck.fix", { problems });
            this.pcError.hidden = false;
            return;
          }
        }
        if (!response.ok) throw new Error(await errorMessage(response));
        this.showResult(await response.json());
      } catch (error) {
        const reason = error instanceof TypeError ? this.text("error.offline") : error.message;
        this.pcError.textContent = this.text("error.failed", { reason });
        this.pcError.hidden = false;
      } finally {
        this.pcButton.disabled = false;
        this.relabel(this.pcButton, "precheck.check");
      }
    }

    showResult(result) {
      // The criteria's names and reasons are the server's, in the language it says (English
      // before it spoke others); the call's clauses are English.
      const serverLang = result.lang || DEFAULT_LANG;
      const verdict = { key: `precheck.verdict.${result.verdict}`, fallback: result.verdict };
      const heading = h("h3", {
        tabindex: "-1",
        className: `verdict verdict-${result.verdict}`,
        t: ["precheck.result", { verdict }],
      });
      const rows = result.criteria.map((c) =>
        h(
          "tr",
          { className: `criterion status-${c.status}` },
          h(
            "th",
            { scope: "row" },
            h("span", { className: "criterion-label", lang: serverLang, text: c.label }),
            h("span", { className: "reason", lang: serverLang, text: c.reason }),
            h(
              "span",
              { className: "clause" },
              h("span", { className: "sr-only", t: "precheck.clause" }),
              " ",
              h("q", { lang: "en", text: readableText(c.citation.quote) }),
              h("span", { className: "clause-section", lang: "en", text: c.citation.section }),
            ),
          ),
          h(
            "td",
            {},
            h("span", {
              className: `badge badge-${c.status}`,
              // A status this widget does not know yet is shown as the server names it.
              ...(`precheck.badge.${c.status}` in FALLBACK
                ? { t: `precheck.badge.${c.status}` }
                : { text: c.status }),
            }),
          ),
        ),
      );
      const table = h(
        "table",
        { className: "criteria" },
        h("caption", { className: "sr-only", t: ["precheck.caption", { reference: result.call.reference }] }),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col", t: "precheck.column_criterion" }),
            h("th", { scope: "col", t: "precheck.column_result" }),
          ),
        ),
        h("tbody", {}, rows),
      );
      const deadline = new Date(result.call.deadline);
      this.pcResult.replaceChildren(
        heading,
        table,
        Number.isNaN(deadline.getTime())
          ? null
          : h("p", { className: "deadline", t: ["precheck.deadline", { date: deadline }] }),
        h("p", { className: "disclaimer", lang: serverLang, text: result.disclaimer }),
      );
      this.localize(this.pcResult);
      this.pcResult.hidden = false;
      heading.focus({ preventScroll: true });
      const scroller = this.pcResult.parentElement;
      scroller.scrollTop = heading.offsetTop - 8;
    }
  }

  // "2025-04-20T10:00" (a datetime-local value) with this browser's UTC offset.
  function withOffset(local) {
    const date = new Date(local);
    if (Number.isNaN(date.getTime())) return local;
    const minutes = -date.getTimezoneOffset();
    const sign = minutes >= 0 ? "+" : "-";
    const abs = Math.abs(minutes);
    const pad = (n) => String(n).padStart(2, "0");
    const seconds = local.length === 16 ? ":00" : "";
    return `${local}${seconds}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  if (!window.customElements.get(TAG)) window.customElements.define(TAG, CallAssistantWidget);

  // Loaded by a script tag: put one widget on the page, configured by the tag's data- attributes.
  const script = document.currentScript;
  if (script && !script.hasAttribute("data-no-auto")) {
    const widget = document.createElement(TAG);
    const src = script.src ? new URL(script.src, window.location.href) : null;
    widget.setAttribute("api-base", script.dataset.apiBase || (src ? src.origin : ""));
    if (script.dataset.title) widget.setAttribute("heading", script.dataset.title);
    if (script.dataset.lang) widget.setAttribute("data-lang", script.dataset.lang);
    if (script.dataset.position) widget.setAttribute("position", script.dataset.position);
    const mount = () => document.body.append(widget);
    if (document.body) mount();
    else document.addEventListener("DOMContentLoaded", mount, { once: true });
  }
})();
