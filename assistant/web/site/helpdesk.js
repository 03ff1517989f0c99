/*
 * The helpdesk page: send the pasted e-mail (and optional profile) to POST /api/draft, show the
 * draft in an editable box, its questions and sources, and copy it. Server text is inserted with
 * textContent only, never as HTML.
 */
(() => {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const STATUS = { answered: "answered", not_found: "the call does not say", out_of_scope: "out of scope" };
  const VERDICT = {
    eligible: "Eligible on what the candidate declared.",
    not_eligible: "Not eligible on what the candidate declared.",
    incomplete: "Cannot tell yet: some information is missing.",
  };

  function item(text, className) {
    const li = document.createElement("li");
    li.textContent = text;
    if (className) li.className = className;
    return li;
  }

  async function errorMessage(response) {
    try {
      const body = await response.json();
      if (typeof body.message === "string") return body.message;
      if (typeof body.detail === "string") return body.detail;
    } catch (_) {
      /* not JSON */
    }
    return `the server answered ${response.status}`;
  }

  function showError(text) {
    const box = $("form-error");
    box.textContent = text;
    box.hidden = false;
  }

  function show(result) {
    $("draft").value = result.draft;
    $("questions").replaceChildren(
      ...result.answers.map((a) => {
        const li = item(a.question);
        const status = document.createElement("span");
        status.className = `tag tag-${a.status}`;
        status.textContent = STATUS[a.status] || a.status;
        li.append(" ", status);
        return li;
      }),
    );
    if (!result.answers.length) $("questions").replaceChildren(item("No question was found.", "empty"));
    $("sources").replaceChildren(
      ...result.citations.map((c) => {
        const li = document.createElement("li");
        const where = document.createElement("strong");
        where.textContent = `[${c.id}] ${c.section}`;
        const quote = document.createElement("q");
        // Markdown links of the call's text read as their words (the API's quote is verbatim).
        quote.textContent = c.quote
          .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
          .replace(/\\([()])/g, "$1")
          .replace(/\s+/g, " ")
          .trim();
        li.append(where, " ", quote);
        return li;
      }),
    );
    if (!result.citations.length) $("sources").replaceChildren(item("No source is cited.", "empty"));
    const precheck = result.precheck;
    $("precheck").hidden = !precheck;
    if (precheck) $("verdict").textContent = VERDICT[precheck.verdict] || precheck.verdict;
    $("copy-status").textContent = "";
    $("result").hidden = false;
    $("result-title").focus();
  }

  async function draft(event) {
    event.preventDefault();
    const button = $("draft-button");
    $("form-error").hidden = true;
    const message = $("email").value.trim();
    if (!message) {
      showError("Paste the candidate's e-mail first.");
      $("email").focus();
      return;
    }
    const body = { message };
    const profileText = $("profile").value.trim();
    if (profileText) {
      try {
        body.profile = JSON.parse(profileText);
      } catch (error) {
        showError(`The profile is not valid JSON (${error.message}).`);
        $("profile").focus();
        return;
      }
    }
    button.disabled = true;
    button.textContent = "Drafting…";
    try {
      // With the sign-in's CSRF header; a session that has ended leads to the sign-in page.
      const response = await window.staff.staffFetch("/api/draft", {
        method: "POST",
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(await errorMessage(response));
      show(await response.json());
    } catch (error) {
      showError(
        error instanceof TypeError
          ? "The service cannot be reached; try again in a moment."
          : `The draft could not be made: ${error.message}`,
      );
    } finally {
      button.disabled = false;
      button.textContent = "Draft reply";
    }
  }

  async function copy() {
    const text = $("draft").value;
    const status = $("copy-status");
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied to the clipboard.";
    } catch (_) {
      // Without clipboard permission: select the text so that Ctrl+C copies it.
      $("draft").select();
      status.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected reply.";
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("draft-form").addEventListener("submit", draft);
    $("copy-button").addEventListener("click", copy);
  });
})();
