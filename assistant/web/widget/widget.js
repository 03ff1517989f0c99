/*
 * Candidate widget for the call assistant: a launcher button and a chat panel, in a Web
 * Component whose Shadow DOM keeps its styles apart from the host page's.
 *
 * Embed with one tag; every data- attribute is optional:
 *   <script src="https://HOST/widget/widget.js" data-api-base="https://HOST"
 *           data-title="Questions about the call" data-lang="en" data-position="right"></script>
 *
 * Rules this file keeps:
 * - Text from the candidate or the server is inserted with textContent / DOM nodes, never as
 *   HTML, so a question or a quote can never run as markup.
 * - No inline styles or scripts: the stylesheet is a <link> to widget.css, so the widget works
 *   under a Content-Security-Policy without 'unsafe-inline'.
 * - The conversation lives in sessionStorage of the host page, never on the server.
 */
(() => {
  "use strict";

  const TAG = "call-assistant-widget";
  const VERSION = "1";
  const MAX_HISTORY_TURNS = 20; // the server takes 50; 20 keeps requests small
  const MAX_MESSAGE_CHARS = 2000;
  const MAX_COMMENT_CHARS = 1000;
  const SVG_NS = "http://www.w3.org/2000/svg";

  const SUGGESTIONS = [
    "What is the deadline for expressing interest?",
    "Who can apply?",
    "How long is the probationary period?",
    "Which languages are required?",
  ];

  const STRINGS = {
    en: {
      title: "Questions about the call",
      open: "Open the assistant: questions about the call",
      launcher: "Questions?",
      close: "Close",
      newChat: "New chat",
      tabs: "Assistant sections",
      tabChat: "Ask a question",
      tabPrecheck: "Eligibility pre-check",
      intro:
        "Ask about the call EC-2025-HOME-01. Every answer quotes the call, with its sources.",
      suggestions: "Suggested questions",
      question: "Your question",
      placeholder: "Type your question…",
      send: "Send",
      you: "You",
      assistant: "Assistant",
      thinking: "Looking it up in the call…",
      sources: "Sources",
      source: "Source",
      openSource: (n, section) => `Source ${n}: ${section}. Open the passage`,
      back: "Back to the conversation",
      inContext: "The quoted passage, highlighted in its context",
      loadingSource: "Loading the passage…",
      contact: "You can ask the recruiting team:",
      helpful: "Was this answer helpful?",
      up: "Helpful",
      down: "Not helpful",
      comment: "Comment (optional)",
      feedbackKept:
        "Your rating is kept with this question, its answer and your comment, to improve the answers. Please do not include personal details.",
      sendFeedback: "Send feedback",
      thanks: "Thank you for your feedback.",
      newConversation: "New conversation started.",
      answerReady: "Answer:",
      error: "Sorry, something went wrong:",
      offline: "the service cannot be reached. Please try again later.",
      // Pre-check
      pcIntro:
        "Answer what you can: anything left empty is reported as “cannot tell”. Nothing you enter here is stored.",
      pcCitizenship: "Citizenship",
      pcNationalities: "Nationalities",
      pcNationalitiesHint: "Country names or codes, separated by commas, e.g. Belgium, IT",
      pcRights: "I enjoy my full rights as a citizen",
      pcMilitary: "I have fulfilled any obligations on military service",
      pcFit: "I am physically fit to perform my duties",
      pcCharacter: "I can provide appropriate character references",
      pcEpso: "EPSO CAST Permanent (Function Group IV)",
      pcEpsoPassed: "Passed",
      pcEpsoRegistered: "Registered, not yet passed",
      pcEpsoNone: "Not registered",
      pcLanguages: "Languages",
      pcLanguage: "Language",
      pcLevel: "Level",
      pcNative: "Native",
      pcAddLanguage: "Add a language",
      pcRemove: "Remove",
      pcEducation: "Education",
      pcYears: "Years of completed university studies",
      pcDiploma: "My studies are attested by a diploma",
      pcExperience: "Professional experience",
      pcFrom: "From",
      pcTo: "To (empty if ongoing)",
      pcRelevant: "Relevant to the work of DG HOME",
      pcAddPeriod: "Add a period",
      pcSubmitted: "When you sent your application (optional)",
      pcCheck: "Check my eligibility",
      pcChecking: "Checking…",
      pcUnsure: "Not sure",
      pcYes: "Yes",
      pcNo: "No",
      pcResult: "Result",
      pcCriterion: "Criterion",
      pcStatus: "Result",
      pcClause: "The call says",
      verdict: {
        eligible: "Eligible on what you declared",
        not_eligible: "Not eligible on what you declared",
        incomplete: "Cannot tell yet: some answers are missing",
      },
      status: { met: "Met", not_met: "Not met", unknown: "Cannot tell" },
      pcRemoveRow: (label, n) => `Remove ${label.toLowerCase()} ${n}`,
      pcFix: "Please correct:",
    },
    fr: {
      title: "Questions sur l’appel",
      open: "Ouvrir l’assistant : questions sur l’appel",
      launcher: "Des questions ?",
      close: "Fermer",
      newChat: "Nouvelle conversation",
      tabs: "Sections de l’assistant",
      tabChat: "Poser une question",
      tabPrecheck: "Pré-vérification d’éligibilité",
      intro:
        "Posez vos questions sur l’appel EC-2025-HOME-01 (rédigé en anglais). Chaque réponse cite l’appel.",
      suggestions: "Questions suggérées",
      question: "Votre question",
      placeholder: "Tapez votre question…",
      send: "Envoyer",
      you: "Vous",
      assistant: "Assistant",
      thinking: "Recherche dans l’appel…",
      sources: "Sources",
      source: "Source",
      openSource: (n, section) => `Source ${n} : ${section}. Ouvrir le passage`,
      back: "Retour à la conversation",
      inContext: "Le passage cité, surligné dans son contexte",
      loadingSource: "Chargement du passage…",
      contact: "Vous pouvez écrire à l’équipe de recrutement :",
      helpful: "Cette réponse vous a-t-elle aidé ?",
      up: "Utile",
      down: "Pas utile",
      comment: "Commentaire (facultatif)",
      feedbackKept:
        "Votre avis est conservé avec cette question, sa réponse et votre commentaire, pour améliorer les réponses. N’y mettez pas de données personnelles.",
      sendFeedback: "Envoyer l’avis",
      thanks: "Merci pour votre avis.",
      newConversation: "Nouvelle conversation.",
      answerReady: "Réponse :",
      error: "Désolé, une erreur est survenue :",
      offline: "le service est injoignable. Veuillez réessayer plus tard.",
      pcIntro:
        "Répondez à ce que vous pouvez : ce qui reste vide est indiqué « impossible à dire ». Rien n’est enregistré.",
      pcCitizenship: "Citoyenneté",
      pcNationalities: "Nationalités",
      pcNationalitiesHint: "Noms de pays (en anglais) ou codes, séparés par des virgules, p. ex. Belgium, IT",
      pcRights: "Je jouis de mes droits civiques",
      pcMilitary: "J’ai satisfait à mes obligations militaires",
      pcFit: "Je suis physiquement apte à exercer mes fonctions",
      pcCharacter: "Je peux fournir des références de moralité",
      pcEpso: "EPSO CAST Permanent (groupe de fonctions IV)",
      pcEpsoPassed: "Réussi",
      pcEpsoRegistered: "Inscrit, pas encore réussi",
      pcEpsoNone: "Non inscrit",
      pcLanguages: "Langues",
      pcLanguage: "Langue",
      pcLevel: "Niveau",
      pcNative: "Langue maternelle",
      pcAddLanguage: "Ajouter une langue",
      pcRemove: "Retirer",
      pcEducation: "Études",
      pcYears: "Années d’études universitaires accomplies",
      pcDiploma: "Mes études sont sanctionnées par un diplôme",
      pcExperience: "Expérience professionnelle",
      pcFrom: "Du",
      pcTo: "Au (vide si en cours)",
      pcRelevant: "En lien avec les domaines de la DG HOME",
      pcAddPeriod: "Ajouter une période",
      pcSubmitted: "Date d’envoi de votre candidature (facultatif)",
      pcCheck: "Vérifier mon éligibilité",
      pcChecking: "Vérification…",
      pcUnsure: "Je ne sais pas",
      pcYes: "Oui",
      pcNo: "Non",
      pcResult: "Résultat",
      pcCriterion: "Critère",
      pcStatus: "Résultat",
      pcClause: "L’appel dit",
      verdict: {
        eligible: "Éligible d’après vos déclarations",
        not_eligible: "Non éligible d’après vos déclarations",
        incomplete: "Impossible de conclure : des réponses manquent",
      },
      status: { met: "Rempli", not_met: "Non rempli", unknown: "Impossible à dire" },
      pcRemoveRow: (label, n) => `Retirer ${label.toLowerCase()} ${n}`,
      pcFix: "À corriger :",
    },
  };

  // --- small DOM helpers (text only, never HTML) --------------------------------------------

  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
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

  // A refused profile in the form's own words ("Languages 2: level 'D4' is not …"), not the
  // API's field paths ("languages.1.level: …"); null when the body holds no field errors.
  function profileProblems(body, t) {
    if (!body || !Array.isArray(body.detail)) return null;
    const names = {
      nationalities: t.pcNationalities,
      full_citizen_rights: t.pcRights,
      military_service_fulfilled: t.pcMilitary,
      physically_fit: t.pcFit,
      character_references: t.pcCharacter,
      epso_cast: t.pcEpso,
      languages: t.pcLanguage,
      education: t.pcEducation,
      experience: t.pcExperience,
      submitted_at: t.pcSubmitted,
    };
    const rows = new Set(["languages", "experience"]); // one row of the form per item
    return body.detail
      .map((problem) => {
        const loc = (problem.loc || []).filter((part) => part !== "body");
        const name = names[loc[0]];
        if (!name) return problem.msg;
        const row = rows.has(loc[0]) && typeof loc[1] === "number" ? ` ${loc[1] + 1}` : "";
        return `${name}${row}: ${problem.msg}`;
      })
      .join(" · ");
  }

  // The call's text holds markdown links whose targets were not kept ("[CAST Permanent](#)"):
  // shown as their words. The API's quotes stay verbatim; this is only how they are read.
  function readableText(text) {
    return text.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/\\([()])/g, "$1");
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
      const lang = (this.getAttribute("lang") || "en").slice(0, 2).toLowerCase();
      this.t = STRINGS[lang] || STRINGS.en;
      this.lang = STRINGS[lang] ? lang : "en";
      const base = this.getAttribute("api-base") || window.location.origin;
      this.apiBase = base.replace(/\/+$/, "");
      this.heading = this.getAttribute("heading") || this.t.title;
      this.position = this.getAttribute("position") === "left" ? "left" : "right";
      this.storageKey = `call-assistant:v${VERSION}:${this.apiBase}`;
      this.state = this.load();
      this.passages = new Map();
      this.busy = false;
      this.render();
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
      const t = this.t;
      const root = this.attachShadow({ mode: "open" });
      const link = h("link", { rel: "stylesheet", href: `${this.apiBase}/widget/widget.css` });
      // Hidden until the stylesheet arrives, so the host page never shows unstyled controls.
      this.frame = h("div", { className: `frame pos-${this.position}`, hidden: true });
      link.addEventListener("load", () => (this.frame.hidden = false));
      link.addEventListener("error", () => (this.frame.hidden = false));

      const panelId = nextId("panel");
      const titleId = nextId("title");
      this.launcher = h(
        "button",
        {
          type: "button",
          className: "launcher",
          "aria-expanded": "false",
          "aria-controls": panelId,
          "aria-label": t.open,
          onclick: () => this.toggle(true),
        },
        icon("chat"),
        h("span", { className: "launcher-text", text: t.launcher }),
      );

      this.announcer = h("div", { className: "sr-only", "aria-live": "polite", role: "status" });

      this.tabChat = h("button", {
        type: "button",
        role: "tab",
        id: nextId("tab"),
        className: "tab",
        "aria-selected": "true",
        text: t.tabChat,
      });
      this.tabPrecheck = h("button", {
        type: "button",
        role: "tab",
        id: nextId("tab"),
        className: "tab",
        "aria-selected": "false",
        tabindex: "-1",
        text: t.tabPrecheck,
      });
      const tablist = h("div", { role: "tablist", "aria-label": t.tabs, className: "tabs" }, [
        this.tabChat,
        this.tabPrecheck,
      ]);
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
        text: t.newChat,
        onclick: () => this.newChat(),
      });
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
          h("h2", { id: titleId, className: "panel-title", text: this.heading }),
          this.newChatButton,
          h(
            "button",
            {
              type: "button",
              className: "icon-button close",
              "aria-label": t.close,
              onclick: () => this.toggle(false),
            },
            icon("close"),
          ),
        ),
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
      this.updateSuggestions();
      if (this.state.open) this.toggle(true, { focus: false });
    }

    renderChat() {
      const t = this.t;
      this.log = h("ol", { className: "log", "aria-label": t.tabChat });
      this.suggestions = h(
        "div",
        { className: "suggestions" },
        h("p", { className: "suggestions-title", id: nextId("sugg"), text: t.suggestions }),
        h(
          "ul",
          {},
          SUGGESTIONS.map((q) =>
            h(
              "li",
              {},
              h("button", {
                type: "button",
                className: "chip",
                text: q,
                onclick: () => this.ask(q),
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
        placeholder: t.placeholder,
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
        { type: "submit", className: "send", "aria-label": t.send },
        icon("send"),
      );
      this.form = h(
        "form",
        { className: "composer" },
        h("label", { for: inputId, className: "sr-only", text: t.question }),
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
          h("p", { className: "intro", text: t.intro }),
          this.log,
          this.suggestions,
        ),
        this.form,
      );
    }

    renderSourceView() {
      const t = this.t;
      this.sourceTitle = h("h3", { className: "source-title", tabindex: "-1" });
      this.sourceDoc = h("p", { className: "source-doc" });
      this.sourceSection = h("p", { className: "source-section" });
      this.sourceText = h("blockquote", { className: "source-text", "aria-label": t.inContext });
      return h(
        "div",
        { className: "view source-view", role: "region", "aria-label": t.source, hidden: true },
        h(
          "button",
          { type: "button", className: "text-button back", onclick: () => this.closeSource() },
          icon("back"),
          t.back,
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
      this.announce(this.t.newConversation);
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
      const body = h("p", { className: "msg-text", text: this.t.thinking });
      pending.append(h("span", { className: "sr-only", text: `${this.t.assistant}: ` }), body);
      this.log.append(pending);
      this.scrollToEnd();

      let item;
      try {
        const response = await fetch(`${this.apiBase}/api/chat/stream`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
          body: JSON.stringify({ message, history }),
        });
        if (!response.ok) throw new Error(await errorMessage(response));
        let text = "";
        let answer = null;
        for await (const { event, data } of readEvents(response)) {
          if (event === "delta") {
            text += JSON.parse(data).text;
            body.textContent = text;
            this.scrollToEnd();
          } else if (event === "done") {
            answer = JSON.parse(data);
          }
        }
        if (!answer) throw new Error(this.t.offline);
        item = { role: "assistant", question: message, answer, id: randomId() };
      } catch (error) {
        const reason = error instanceof TypeError ? this.t.offline : error.message;
        item = { role: "error", text: `${this.t.error} ${reason}` };
      }
      this.state.messages.push(item);
      this.save();
      const rendered = this.renderMessage(item);
      pending.replaceWith(rendered);
      this.announce(
        item.role === "assistant" ? `${this.t.answerReady} ${item.answer.answer}` : item.text,
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
      const t = this.t;
      if (m.role === "user") {
        return h(
          "li",
          { className: "msg msg-user" },
          h("span", { className: "sr-only", text: `${t.you}: ` }),
          h("p", { className: "msg-text", text: m.text }),
        );
      }
      if (m.role === "error") {
        return h("li", { className: "msg msg-error", role: "alert" }, h("p", { text: m.text }));
      }
      const a = m.answer;
      const byId = new Map(a.citations.map((c) => [c.id, c]));
      const text = h("p", { className: "msg-text" });
      // "[n]" marks become buttons that open source n; everything else stays plain text.
      for (const part of a.answer.split(/(\[\d+\])/)) {
        const match = /^\[(\d+)\]$/.exec(part);
        const citation = match && byId.get(Number(match[1]));
        if (citation) text.append(this.citeButton(citation, `[${citation.id}]`, "cite"));
        else if (part) text.append(document.createTextNode(part));
      }
      const li = h(
        "li",
        { className: `msg msg-assistant status-${a.status}` },
        h("span", { className: "sr-only", text: `${t.assistant}: ` }),
        text,
      );
      if (a.status !== "answered" && a.contact) {
        li.append(
          h(
            "p",
            { className: "contact" },
            `${t.contact} `,
            h("a", { href: `mailto:${a.contact}`, text: a.contact }),
          ),
        );
      }
      if (a.citations.length) {
        li.append(
          h(
            "div",
            { className: "sources" },
            h("p", { className: "sources-title", text: t.sources }),
            h(
              "ol",
              {},
              a.citations.map((c) =>
                h("li", {}, this.citeButton(c, `[${c.id}] ${c.section}`, "source-link")),
              ),
            ),
          ),
        );
      }
      li.append(this.renderFeedback(m));
      return li;
    }

    citeButton(citation, label, className) {
      return h("button", {
        type: "button",
        className,
        text: label,
        "aria-label": this.t.openSource(citation.id, citation.section),
        "data-citation": String(citation.id),
        onclick: (e) => this.openSource(citation, e.currentTarget),
      });
    }

    // -- sources ----------------------------------------------------------------------------

    async openSource(citation, opener) {
      const t = this.t;
      this.sourceOpener = opener;
      this.sourceTitle.textContent = `${t.source} [${citation.id}]`;
      this.sourceDoc.textContent = citation.title;
      this.sourceSection.textContent = citation.section;
      this.sourceText.replaceChildren(document.createTextNode(t.loadingSource));
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
      const t = this.t;
      const box = h("div", { className: "feedback" });
      if (m.feedbackSent) {
        box.append(h("p", { className: "thanks", text: t.thanks }));
        return box;
      }
      const group = h("div", { className: "thumbs", role: "group", "aria-label": t.helpful });
      const label = h("span", { className: "feedback-label", text: t.helpful, "aria-hidden": "true" });
      const commentId = nextId("comment");
      const comment = h("textarea", {
        id: commentId,
        rows: "2",
        maxlength: String(MAX_COMMENT_CHARS),
        className: "comment",
      });
      const send = h("button", { type: "submit", className: "small-button", text: t.sendFeedback });
      const form = h(
        "form",
        { className: "feedback-form", hidden: true },
        h("label", { for: commentId, text: t.comment }),
        comment,
        h("p", { className: "feedback-note", text: t.feedbackKept }),
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
            "aria-label": t[value],
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
      group.append(label, ...thumbs);
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
          const thanks = h("p", { className: "thanks", tabindex: "-1", text: t.thanks });
          box.replaceChildren(thanks);
          thanks.focus();
          this.announce(t.thanks);
        } catch (error) {
          send.disabled = false;
          this.announce(`${t.error} ${error.message}`);
        }
      });
      box.append(group, form);
      return box;
    }

    // -- pre-check --------------------------------------------------------------------------

    renderPrecheck() {
      const t = this.t;
      const field = (label, control, hint) => {
        const id = nextId("f");
        control.id = id;
        const parts = [h("label", { for: id, text: label })];
        if (hint) {
          const hintId = nextId("hint");
          control.setAttribute("aria-describedby", hintId);
          parts.push(h("p", { className: "hint", id: hintId, text: hint }));
        }
        return h("div", { className: "field" }, parts, control);
      };
      const triState = (name) =>
        h(
          "select",
          { name },
          h("option", { value: "", text: t.pcUnsure }),
          h("option", { value: "true", text: t.pcYes }),
          h("option", { value: "false", text: t.pcNo }),
        );
      const levels = () =>
        h(
          "select",
          { name: "level" },
          ["C2", "C1", "B2", "B1", "A2", "A1"].map((l) => h("option", { value: l, text: l })),
          h("option", { value: "native", text: t.pcNative }),
        );

      this.languageRows = h("div", { className: "rows" });
      this.periodRows = h("div", { className: "rows" });
      const addLanguage = () => {
        const n = this.languageRows.children.length + 1;
        const row = h(
          "div",
          { className: "row" },
          field(`${t.pcLanguage} ${n}`, h("input", { type: "text", name: "language", autocomplete: "off" })),
          field(`${t.pcLevel} ${n}`, levels()),
        );
        row.append(this.removeButton(row, `${t.pcLanguage}`, n));
        this.languageRows.append(row);
        return row;
      };
      const addPeriod = () => {
        const n = this.periodRows.children.length + 1;
        const row = h(
          "div",
          { className: "row row-period" },
          field(`${t.pcFrom} (${n})`, h("input", { type: "date", name: "start" })),
          field(`${t.pcTo} (${n})`, h("input", { type: "date", name: "end" })),
          field(`${t.pcRelevant} (${n})`, triState("relevant")),
        );
        row.append(this.removeButton(row, t.pcExperience, n));
        this.periodRows.append(row);
        return row;
      };
      addLanguage();
      addLanguage();
      addPeriod();
      const addButton = (text, add) =>
        h("button", {
          type: "button",
          className: "small-button",
          text,
          onclick: () => add().querySelector("input, select").focus(),
        });

      this.pcError = h("p", { className: "form-error", role: "alert", hidden: true });
      this.pcButton = h("button", { type: "submit", className: "primary", text: t.pcCheck });
      this.pcResult = h("div", { className: "pc-result", hidden: true });
      const form = h(
        "form",
        { className: "precheck", novalidate: true },
        h("p", { className: "intro", text: t.pcIntro }),
        h(
          "fieldset",
          {},
          h("legend", { text: t.pcCitizenship }),
          field(t.pcNationalities, h("input", { type: "text", name: "nationalities", autocomplete: "off" }), t.pcNationalitiesHint),
          field(t.pcRights, triState("full_citizen_rights")),
          field(t.pcMilitary, triState("military_service_fulfilled")),
          field(t.pcFit, triState("physically_fit")),
          field(t.pcCharacter, triState("character_references")),
        ),
        h(
          "fieldset",
          {},
          h("legend", { text: "EPSO" }),
          field(
            t.pcEpso,
            h(
              "select",
              { name: "epso_cast" },
              h("option", { value: "", text: t.pcUnsure }),
              h("option", { value: "passed", text: t.pcEpsoPassed }),
              h("option", { value: "registered", text: t.pcEpsoRegistered }),
              h("option", { value: "none", text: t.pcEpsoNone }),
            ),
          ),
        ),
        h(
          "fieldset",
          {},
          h("legend", { text: t.pcLanguages }),
          this.languageRows,
          addButton(t.pcAddLanguage, addLanguage),
        ),
        h(
          "fieldset",
          {},
          h("legend", { text: t.pcEducation }),
          field(t.pcYears, h("input", { type: "number", name: "years", min: "0", max: "20", step: "0.5", inputmode: "decimal" })),
          field(t.pcDiploma, triState("diploma")),
        ),
        h(
          "fieldset",
          {},
          h("legend", { text: t.pcExperience }),
          this.periodRows,
          addButton(t.pcAddPeriod, addPeriod),
        ),
        field(t.pcSubmitted, h("input", { type: "datetime-local", name: "submitted_at" })),
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

    removeButton(row, label, n) {
      return h("button", {
        type: "button",
        className: "text-button remove",
        text: this.t.pcRemove,
        "aria-label": this.t.pcRemoveRow(label, n),
        onclick: () => {
          const next = row.nextElementSibling || row.previousElementSibling;
          const container = row.parentElement;
          row.remove();
          const target = next || container.parentElement.querySelector(".small-button");
          if (target) (target.querySelector("input, select") || target).focus();
        },
      });
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
      const t = this.t;
      this.pcError.hidden = true;
      // The verdict on screen is for the profile as it was: gone as soon as it is checked again,
      // so that it is never read as the verdict of a profile that could not be checked.
      this.pcResult.hidden = true;
      this.pcResult.replaceChildren();
      this.pcButton.disabled = true;
      this.pcButton.textContent = t.pcChecking;
      try {
        const response = await fetch(`${this.apiBase}/api/precheck`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(this.profile(form)),
        });
        if (response.status === 422) {
          const problems = profileProblems(await response.clone().json().catch(() => null), t);
          if (problems) {
            this.pcError.textContent = `${t.pcFix} ${problems}`;
            this.pcError.hidden = false;
            return;
          }
        }
        if (!response.ok) throw new Error(await errorMessage(response));
        this.showResult(await response.json());
      } catch (error) {
        const reason = error instanceof TypeError ? t.offline : error.message;
        this.pcError.textContent = `${t.error} ${reason}`;
        this.pcError.hidden = false;
      } finally {
        this.pcButton.disabled = false;
        this.pcButton.textContent = t.pcCheck;
      }
    }

    showResult(result) {
      const t = this.t;
      const heading = h("h3", {
        tabindex: "-1",
        className: `verdict verdict-${result.verdict}`,
        text: `${t.pcResult}: ${t.verdict[result.verdict] || result.verdict}`,
      });
      const rows = result.criteria.map((c) =>
        h(
          "tr",
          { className: `criterion status-${c.status}` },
          h(
            "th",
            { scope: "row" },
            h("span", { className: "criterion-label", text: c.label }),
            h("span", { className: "reason", text: c.reason }),
            h(
              "span",
              { className: "clause" },
              h("span", { className: "sr-only", text: `${t.pcClause}: ` }),
              h("q", { text: readableText(c.citation.quote) }),
              h("span", { className: "clause-section", text: c.citation.section }),
            ),
          ),
          h("td", {}, h("span", { className: `badge badge-${c.status}`, text: t.status[c.status] || c.status })),
        ),
      );
      const table = h(
        "table",
        { className: "criteria" },
        h("caption", { className: "sr-only", text: `${t.pcResult}: ${result.call.reference}` }),
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col", text: t.pcCriterion }), h("th", { scope: "col", text: t.pcStatus })),
        ),
        h("tbody", {}, rows),
      );
      this.pcResult.replaceChildren(
        heading,
        table,
        h("p", { className: "disclaimer", text: result.disclaimer }),
      );
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
    if (script.dataset.lang) widget.setAttribute("lang", script.dataset.lang);
    if (script.dataset.position) widget.setAttribute("position", script.dataset.position);
    const mount = () => document.body.append(widget);
    if (document.body) mount();
    else document.addEventListener("DOMContentLoaded", mount, { once: true });
  }
})();
