/*
 * The staff sign-in page: POST /api/auth/login sets the session cookie, then the page asked
 * for (`?next=`, a path of this site only: never another site) or the helpdesk opens.
 */
(() => {
  "use strict";

  const $ = (id) => document.getElementById(id);

  // Only a path of this origin: "/helpdesk", never "//evil.example" or "https://…".
  function nextPage() {
    const next = new URLSearchParams(window.location.search).get("next") || "";
    return /^\/(?![/\\])[^\s]*$/.test(next) ? next : "/helpdesk";
  }

  function showError(text) {
    const box = $("form-error");
    box.textContent = text;
    box.hidden = false;
  }

  async function signIn(event) {
    event.preventDefault();
    const email = $("email").value.trim();
    const password = $("password").value;
    if (!email || !password) {
      showError("Type your e-mail address and your password.");
      (email ? $("password") : $("email")).focus();
      return;
    }
    const button = $("signin-button");
    button.disabled = true;
    $("form-error").hidden = true;
    try {
      const response = await fetch("/api/auth/login", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
      if (response.ok) {
        window.location.assign(nextPage());
        return;
      }
      let detail = `the server answered ${response.status}`;
      try {
        const body = await response.json();
        if (typeof body.detail === "string") detail = body.detail;
        else if (typeof body.message === "string") detail = body.message;
      } catch (_) {
        /* not JSON */
      }
      showError(`You could not be signed in: ${detail}.`);
      $("password").select();
    } catch (_) {
      showError("The service cannot be reached; try again in a moment.");
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("signin-form").addEventListener("submit", signIn);
    $("email").focus();
  });
})();
