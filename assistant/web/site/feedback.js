/*
 * The feedback review page: GET /api/feedback with the filters, one card per rating (question,
 * answer, sources, comment), and "Mark reviewed" (POST /api/feedback/{id}/review). Server text
 * is inserted with textContent only, never as HTML.
 */
(() => {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const PAGE = 20;
  const RATING = { up: "Helpful", down: "Not helpful" };
  let offset = 0;

  function element(tag, text, className) {
    const el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  function showError(text) {
    const box = $("form-error");
    box.textContent = text;
    box.hidden = !text;
  }

  function query() {
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    for (const name of ["rating", "reviewed", "since", "until"]) {
      const value = $(name).value;
      if (value) params.set(name, value);
    }
    return params;
  }

  function card(item) {
    const li = element("li", undefined, "card rating");
    li.setAttribute("aria-labelledby", `q-${item.id}`);
    const head = element("p", undefined, "rating-head");
    head.append(
      element("span", RATING[item.rating] || item.rating, `tag tag-${item.rating}`),
      " ",
      element("time", new Date(item.created_at).toLocaleString("en-GB"), "when"),
    );
    head.querySelector("time").dateTime = item.created_at;
    const question = element("h3", item.question);
    question.id = `q-${item.id}`;
    const answer = element("blockquote", item.answer, "answer");
    li.append(head, question, answer);
    if (item.citations && item.citations.length) {
      const sources = element("ol", undefined, "sources");
      for (const c of item.citations) sources.append(element("li", `${c.doc_id}: “${c.quote}”`));
      li.append(element("h4", "Sources"), sources);
    }
    li.append(element("p", item.comment ? `Comment: ${item.comment}` : "No comment.", "comment"));
    const actions = element("div", undefined, "actions");
    const status = element("p", "", "status");
    status.setAttribute("role", "status");
    if (item.reviewed) {
      status.textContent = "Reviewed.";
    } else {
      const button = element("button", "Mark reviewed", "secondary");
      button.type = "button";
      button.setAttribute("aria-describedby", question.id);
      button.addEventListener("click", () => markReviewed(item, button, status));
      actions.append(button);
    }
    actions.append(status);
    li.append(actions);
    return li;
  }

  async function markReviewed(item, button, status) {
    button.disabled = true;
    try {
      const response = await window.staff.staffFetch(
        `/api/feedback/${encodeURIComponent(item.id)}/review`,
        { method: "POST" },
      );
      if (!response.ok) throw new Error(await window.staff.errorMessage(response));
      status.textContent = "Reviewed.";
      button.remove();
    } catch (error) {
      button.disabled = false;
      status.textContent = `Not marked: ${error.message}`;
    }
  }

  async function load() {
    showError("");
    try {
      const response = await window.staff.staffFetch(`/api/feedback?${query()}`);
      if (!response.ok) throw new Error(await window.staff.errorMessage(response));
      const page = await response.json();
      $("ratings").replaceChildren(...page.items.map(card));
      const last = Math.min(page.offset + page.items.length, page.total);
      $("count").textContent = page.total
        ? `${page.offset + 1}–${last} of ${page.total} ratings.`
        : "No ratings match.";
      $("previous").disabled = page.offset === 0;
      $("next").disabled = last >= page.total;
    } catch (error) {
      showError(`The ratings could not be loaded: ${error.message}`);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("filters").addEventListener("submit", (event) => {
      event.preventDefault();
      offset = 0;
      load().then(() => $("results-title").focus());
    });
    $("previous").addEventListener("click", () => {
      offset = Math.max(0, offset - PAGE);
      load().then(() => $("results-title").focus());
    });
    $("next").addEventListener("click", () => {
      offset += PAGE;
      load().then(() => $("results-title").focus());
    });
    load();
  });
})();
