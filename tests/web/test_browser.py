"""The widget and the helpdesk page in headless Chromium, against a real server on loopback.

Playwright's locators pierce open shadow roots, so ``page.get_by_role`` finds the widget's
controls by their accessible names, as a screen reader would.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect
from staff_helpers import PASSWORD
from web_helpers import PHONE_SHOT, shot

from assistant.feedback.store import FeedbackFilter, all_feedback
from assistant.runtime import Services

pytestmark = pytest.mark.server

PROBATION = "How long is the probationary period?"


def open_widget(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Open the assistant")).click()
    expect(question_box(page)).to_be_focused()


def question_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Your question")


def answers(page: Page) -> Locator:
    return page.locator("call-assistant-widget li.msg-assistant:not([aria-busy])")


def ask(page: Page, question: str) -> Locator:
    """Types ``question``, sends it with Enter and returns the answer's list item."""
    before = answers(page).count()
    question_box(page).fill(question)
    question_box(page).press("Enter")
    expect(answers(page)).to_have_count(before + 1)
    return answers(page).nth(before)


def active(page: Page) -> dict[str, Any]:
    """What has the keyboard focus, looking inside the widget's shadow root."""
    result: dict[str, Any] = page.evaluate(
        """() => {
            let el = document.activeElement;
            while (el && el.shadowRoot && el.shadowRoot.activeElement) {
                el = el.shadowRoot.activeElement;
            }
            return {
                tag: el ? el.tagName.toLowerCase() : null,
                cls: el ? el.className : null,
                label: el ? (el.getAttribute("aria-label") || el.textContent || "").trim() : null,
            };
        }"""
    )
    return result


def test_the_widget_loads_from_one_script_tag_on_a_plain_page(page: Page, live_server: str) -> None:
    # A page that is nothing but the tag, with hostile styles that would restyle any button.
    html = f"""<!doctype html><html lang="en"><head><title>Plain</title>
    <style>* {{ font-family: serif !important; color: #f0f !important; }}
    button {{ background: #f00 !important; text-transform: uppercase; }}</style></head>
    <body><p>A page that knows nothing of the widget.</p>
    <script src="{live_server}/widget/widget.js" data-title="Ask about the call"
            data-position="left"></script></body></html>"""
    page.route(
        f"{live_server}/plain",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    page.goto(f"{live_server}/plain")
    launcher = page.get_by_role("button", name=re.compile("Open the assistant"))
    expect(launcher).to_be_visible()
    style = launcher.evaluate(
        "el => { const s = getComputedStyle(el); "
        "return [s.backgroundColor, s.color, s.textTransform, s.left !== 'auto']; }"
    )
    assert style == ["rgb(0, 68, 148)", "rgb(255, 255, 255)", "none", True]
    launcher.click()
    expect(page.get_by_role("heading", name="Ask about the call")).to_be_visible()
    expect(page.get_by_role("dialog", name="Ask about the call")).to_be_visible()
    # The host page's own text and styles are untouched by the widget's.
    assert (
        page.locator("p").first.evaluate("el => getComputedStyle(el).color") == "rgb(255, 0, 255)"
    )


def test_a_question_streams_an_answer_whose_citation_opens_its_passage(
    page: Page, services: Services
) -> None:
    page.goto("/")
    open_widget(page)
    with page.expect_response("**/api/chat/stream") as streamed:
        answer = ask(page, PROBATION)
    assert streamed.value.headers["content-type"].startswith("text/event-stream")
    expect(answer).to_contain_text("9-month probationary period")
    # The announcement for screen readers carries the answer once it is complete.
    expect(page.locator("call-assistant-widget [aria-live=polite]")).to_contain_text("9-month")

    body = services.answerer.answer(PROBATION, [], now=services.clock())
    citation = body.citations[0]
    answer.get_by_role("button", name=re.compile(r"^Source 1:")).first.click()
    viewer = page.get_by_role("region", name="Source")
    expect(viewer).to_be_visible()
    expect(page.get_by_role("heading", name="Source [1]")).to_be_focused()
    expect(viewer.locator(".source-section")).to_have_text(citation.section)
    mark = viewer.locator("mark")
    expect(mark).to_have_text(
        services.corpus.get(citation.doc_id).text[citation.start : citation.end]
    )
    # In context: the passage holds more than the quote.
    context_text = viewer.locator(".source-text").inner_text()
    assert len(context_text) > len(citation.quote)
    page.get_by_role("button", name="Back to the conversation").click()
    expect(viewer).to_be_hidden()

    shot(page, "widget-desktop.png")


def test_the_keyboard_alone_goes_from_launcher_to_source_and_back(page: Page) -> None:
    page.goto("/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if active(page)["cls"] == "launcher":
            break
    assert active(page)["cls"] == "launcher", "Tab never reached the widget's launcher"
    page.keyboard.press("Enter")
    assert active(page)["tag"] == "textarea"
    page.keyboard.type(PROBATION)
    page.keyboard.press("Enter")
    expect(answers(page)).to_have_count(1)

    # Backwards from the question box to the citation mark in the answer.
    for _ in range(15):
        page.keyboard.press("Shift+Tab")
        if active(page)["cls"] == "cite":
            break
    assert active(page)["cls"] == "cite", "Shift+Tab never reached the citation"
    page.keyboard.press("Enter")
    assert active(page) == {"tag": "h3", "cls": "source-title", "label": "Source [1]"}
    expect(page.locator("call-assistant-widget mark")).to_be_visible()
    page.keyboard.press("Escape")  # closes the source, back on the mark that opened it
    assert active(page)["cls"] == "cite"

    # The tabs follow the ARIA pattern: arrows move between them.
    for _ in range(25):
        page.keyboard.press("Shift+Tab")
        if active(page)["cls"] == "tab":
            break
    assert active(page)["label"] == "Ask a question"
    page.keyboard.press("ArrowRight")
    assert active(page)["label"] == "Eligibility pre-check"
    expect(page.get_by_role("tabpanel", name="Eligibility pre-check")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tabpanel", name="Ask a question")).to_be_visible()

    page.keyboard.press("Escape")  # closes the panel, focus back on the launcher
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert active(page)["cls"] == "launcher"


def test_the_precheck_form_shows_a_verdict_with_the_clause_of_each_criterion(page: Page) -> None:
    page.goto("/")
    open_widget(page)
    page.get_by_role("tab", name="Eligibility pre-check").click()
    form = page.get_by_role("tabpanel", name="Eligibility pre-check")
    check = form.get_by_role("button", name="Check my eligibility")

    # A nationality alone: what was not declared cannot be told, never "not met".
    form.get_by_label("Nationalities").fill("Belgium")
    check.click()
    verdict = form.get_by_role("heading", name=re.compile("^Result:"))
    expect(verdict).to_have_text("Result: Cannot tell yet: some answers are missing")
    expect(verdict).to_be_focused()
    rows = form.locator("table.criteria tbody tr")
    expect(rows.filter(has_text="Nationality").locator(".badge")).to_have_text("Met")
    expect(rows.filter(has_text="Character references").locator(".badge")).to_have_text(
        "Cannot tell"
    )

    for label in (
        "I enjoy my full rights as a citizen",
        "I have fulfilled any obligations on military service",
        "I am physically fit to perform my duties",
        "I can provide appropriate character references",
        "My studies are attested by a diploma",
        "Relevant to the work of DG HOME (1)",
    ):
        form.get_by_label(label).select_option("true")
    form.get_by_label("EPSO CAST Permanent (Function Group IV)").select_option("passed")
    form.get_by_label("Language 1", exact=True).fill("French")
    form.get_by_label("Level 1", exact=True).select_option("native")
    form.get_by_label("Language 2", exact=True).fill("en")
    form.get_by_label("Level 2", exact=True).select_option("C1")
    form.get_by_label("Years of completed university studies").fill("3")
    form.get_by_label("From (1)").fill("2019-01-01")
    form.get_by_label("To (empty if ongoing) (1)").fill("2022-12-31")
    check.click()
    expect(verdict).to_have_text("Result: Eligible on what you declared")
    count = rows.count()
    assert count >= 10
    expect(form.locator(".badge-met")).to_have_count(count)
    # Each criterion shows the clause of the call it implements, and the disclaimer follows.
    expect(rows.first.locator(".clause q")).not_to_be_empty()
    # A link of the call whose target was not kept reads as its words, not as markdown.
    cast = rows.filter(has_text="EPSO CAST").locator(".clause q")
    expect(cast).to_contain_text("registered in the EPSO CAST data base")
    expect(form.locator(".clause q", has_text="](#)")).to_have_count(0)
    expect(form.locator(".disclaimer")).to_contain_text("indicative pre-check")

    # Bad input is a clear message in the form's own words, not a broken page, and the verdict
    # of the profile as it was before is gone.
    form.get_by_label("Nationalities").fill("Atlantis")
    form.get_by_label("From (1)").fill("1019-01-01")
    check.click()
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("Please correct: Nationalities: unknown country 'Atlantis'")
    expect(alert).to_contain_text("Professional experience 1: start 1019-01-01 is before 1950")
    expect(alert).not_to_contain_text("nationalities.0")
    expect(verdict).to_be_hidden()
    expect(form.locator("table.criteria")).to_have_count(0)


def test_staff_sign_in_through_the_sign_in_page_and_reach_the_helpdesk(
    page: Page, staff_email: str
) -> None:
    page.goto("/helpdesk")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fhelpdesk$|/signin\?next=/helpdesk$"))
    expect(page.get_by_role("heading", name="Staff sign-in")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.get_by_label("E-mail address").fill(staff_email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("the e-mail address or the password is wrong")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(re.compile(r"/helpdesk$"))
    expect(page.get_by_role("heading", name="Draft a reply to a candidate")).to_be_visible()
    expect(page.locator("#who")).to_have_text(staff_email)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin$"))
    page.goto("/helpdesk")
    expect(page).to_have_url(re.compile(r"/signin\?next="))


def test_the_sign_in_page_goes_only_to_pages_of_this_site(page: Page, staff_email: str) -> None:
    page.goto("/signin?next=//example.org/phish")
    page.get_by_label("E-mail address").fill(staff_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/helpdesk$"))


def test_the_helpdesk_page_drafts_a_reply_to_a_two_question_email(
    signed_in: BrowserContext, page: Page
) -> None:
    context = signed_in
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/helpdesk")
    page.get_by_label("Candidate's e-mail").fill(
        "Dear Sir or Madam,\n\nI saw the call for Policy Officers at DG HOME. How long is the "
        "probationary period? Could you also tell me what the deadline for expressing "
        "interest is?\n\nKind regards,\nMaria Rossi\n"
    )
    page.get_by_role("button", name="Draft reply").click()
    expect(page.get_by_role("heading", name="Draft reply")).to_be_focused()
    draft = page.get_by_label("Reply (edit before sending)")
    text = draft.input_value()
    assert text.startswith("Dear Maria Rossi,")
    assert "9-month probationary period" in text
    assert "22 April 2025" in text
    assert "Sources (the words of the call):" in text
    assert text.rstrip().endswith("selection team")
    expect(page.locator("#questions li")).to_have_count(2)
    sources = page.locator("#sources li")
    assert sources.count() >= 2
    expect(sources.first).to_contain_text("[1]")

    draft.evaluate("el => { el.scrollTop = 0; }")
    shot(page, "helpdesk.png", full_page=True)

    draft.press("Control+End")
    draft.type("\nP.S. Good luck!")
    page.get_by_role("button", name="Copy the reply").click()
    expect(page.get_by_role("status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("P.S. Good luck!")


def test_html_in_a_question_is_shown_as_text_never_run(page: Page) -> None:
    page.goto("/")
    open_widget(page)
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>deadline?'
    ask(page, hostile)
    widget = page.locator("call-assistant-widget")
    expect(widget.locator("li.msg-user .msg-text")).to_have_text(hostile)
    assert widget.locator("img, li script").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_a_not_found_answer_shows_the_contact_and_feedback_is_recorded(
    page: Page, services: Services, signed_in: BrowserContext
) -> None:
    page.goto("/")
    open_widget(page)
    answer = ask(page, "Is there a car park at the office?")
    contact = services.corpus.call().entry.contact
    link = answer.get_by_role("link", name=contact)
    expect(link).to_have_attribute("href", f"mailto:{contact}")

    before = {r.id for r in all_feedback(services.database, FeedbackFilter())}
    answer.get_by_role("button", name="Not helpful").click()
    comment = answer.get_by_label("Comment (optional)")
    expect(comment).to_be_focused()
    comment.fill("I wanted to know about parking.")
    answer.get_by_role("button", name="Send feedback").click()
    expect(answer.get_by_text("Thank you for your feedback.")).to_be_visible()
    [record] = [r for r in all_feedback(services.database, FeedbackFilter()) if r.id not in before]
    assert record.rating == "down"
    assert record.comment == "I wanted to know about parking."
    assert record.question == "Is there a car park at the office?"
    assert record.status == "not_found"
    assert record.citations is not None  # the sources the answer showed, for the reviewer
    assert "127.0.0.1" not in record.model_dump_json()

    # Staff see it on the review page and mark it reviewed with the keyboard alone.
    page.goto("/feedback")
    card = page.get_by_role("listitem").filter(has_text="I wanted to know about parking.")
    expect(card).to_contain_text("Is there a car park at the office?")
    expect(card).to_contain_text("Not helpful")
    button = card.get_by_role("button", name="Mark reviewed")
    button.focus()
    page.keyboard.press("Enter")
    expect(card.get_by_role("status")).to_have_text("Reviewed.")
    reviewed = [r for r in all_feedback(services.database, FeedbackFilter()) if r.id == record.id]
    assert reviewed[0].reviewed
    page.get_by_label("Status").select_option("true")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Ratings")).to_be_focused()
    expect(
        page.get_by_role("listitem").filter(has_text="I wanted to know about parking.")
    ).to_be_visible()
    shot(page, "feedback-review.png", full_page=True)


def test_a_reload_keeps_the_conversation_and_new_chat_clears_it(page: Page) -> None:
    page.goto("/")
    open_widget(page)
    expect(page.get_by_text("Suggested questions")).to_be_visible()
    page.get_by_role("button", name="What is the deadline for expressing interest?").click()
    expect(answers(page)).to_have_count(1)
    expect(page.get_by_text("Suggested questions")).to_be_hidden()

    page.reload()
    # Still open, with the same conversation.
    expect(answers(page)).to_have_count(1)
    expect(page.locator("call-assistant-widget li.msg-user .msg-text")).to_have_text(
        "What is the deadline for expressing interest?"
    )
    page.get_by_role("button", name="New chat").click()
    expect(page.locator("call-assistant-widget li.msg")).to_have_count(0)
    expect(page.get_by_text("Suggested questions")).to_be_visible()
    expect(question_box(page)).to_be_focused()


def test_on_a_phone_the_panel_fills_the_screen(browser: Any, live_server: str) -> None:
    context = browser.new_context(
        viewport=PHONE_SHOT, base_url=live_server, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        page.goto("/")
        open_widget(page)
        ask(page, PROBATION)
        box = page.get_by_role("dialog").bounding_box()
        assert box is not None
        assert (box["x"], box["y"], box["width"]) == (0, 0, PHONE_SHOT["width"])
        # Nothing wider than the screen: no sideways scrolling in the panel.
        overflow = page.locator("call-assistant-widget .scroller").first.evaluate(
            "el => el.scrollWidth - el.clientWidth"
        )
        assert overflow <= 0
        shot(page, "widget-phone.png")
    finally:
        context.close()


def test_the_api_docs_render_with_no_network(context: BrowserContext, live_server: str) -> None:
    # Everything but this server is cut off, as on a machine with no route to a CDN.
    outside: list[str] = []

    def only_this_server(route: Any) -> None:
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_server)
    page = context.new_page()
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Call assistant")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()  # operations listed
    expect(page.get_by_text("/api/chat", exact=True).first).to_be_visible()
    page.goto("/redoc")
    expect(page.locator("h1").first).to_contain_text("Call assistant")
    expect(page.get_by_text("/api/precheck").first).to_be_attached()
    assert outside == []
