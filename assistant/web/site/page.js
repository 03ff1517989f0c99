/*
 * The demo page speaks the widget's language: it takes its texts (the "page." keys of
 * assistant/locales/<code>/widget.toml) from the widget's "call-assistant-language" event, so
 * that the page and the widget never disagree, and a pick in the widget's menu changes both.
 * The HTML holds the English texts, for when the widget cannot load.
 */
(() => {
  "use strict";

  document.addEventListener("call-assistant-language", (event) => {
    const { lang, texts } = event.detail;
    const text = (key) => (typeof texts[key] === "string" ? texts[key] : null);
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll("[data-text]")) {
      const value = text(el.dataset.text);
      if (value !== null) el.textContent = value;
    }
    for (const el of document.querySelectorAll("[data-label]")) {
      const value = text(el.dataset.label);
      if (value !== null) el.setAttribute("aria-label", value);
    }
  });
})();
