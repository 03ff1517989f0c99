/*
 * Shared by the staff pages (helpdesk, feedback review): the CSRF header of the sign-in for
 * each write, the way back to the sign-in page when the session has ended, and signing out.
 */
(() => {
  "use strict";

  const CSRF_COOKIE = "assistant_csrf";

  function csrfToken() {
    const found = document.cookie.split("; ").find((c) => c.startsWith(`${CSRF_COOKIE}=`));
    return found ? decodeURIComponent(found.slice(CSRF_COOKIE.length + 1)) : "";
  }

  function signIn() {
    window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
  }

  // fetch() for staff endpoints: JSON, the CSRF header, and a 401 sends to the sign-in page.
  async function staffFetch(url, options = {}) {
    const headers = { "X-CSRF-Token": csrfToken() || "sso", ...(options.headers || {}) };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { credentials: "same-origin", ...options, headers });
    if (response.status === 401) {
      signIn();
      throw new Error("your sign-in has ended; sign in again");
    }
    return response;
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

  async function showWho() {
    const who = document.getElementById("who");
    if (!who) return;
    const response = await fetch("/api/auth/me", { credentials: "same-origin" });
    if (response.ok) who.textContent = (await response.json()).email;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("sign-out");
    if (button) {
      button.addEventListener("click", async () => {
        await staffFetch("/api/auth/logout", { method: "POST" }).catch(() => {});
        window.location.assign("/signin");
      });
    }
    showWho().catch(() => {});
  });

  window.staff = { staffFetch, errorMessage };
})();
