"""The widget, the pre-check form and the demo page in the 24 official EU languages.

The first tests read the files only: every language has exactly the English keys and
placeholders, and the English copies in widget.js and index.html are the English file. The
others drive the real widget in headless Chromium against a real server on loopback.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect
from web_helpers import DESKTOP

from assistant.config import PROJECT_ROOT
from assistant.locales import HERE as LOCALES_DIR
from assistant.locales import Text, catalog, entries, languages

WEB = PROJECT_ROOT / "assistant" / "web"
EU_CODES = "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv".split()
ENGLISH = entries("widget", "en")
VIEWPORT = ViewportSize(width=DESKTOP["width"], height=DESKTOP["height"])


def say(code: str, key: str) -> str:
    """The widget's text `key` in language `code`."""
    return catalog("widget", code).text(key)


# --- the files ---------------------------------------------------------------------------------


def test_the_languages_are_the_24_official_ones_each_with_a_widget_file() -> None:
    assert list(languages()) == EU_CODES
    folders = sorted(p.parent.name for p in LOCALES_DIR.glob("*/widget.toml"))
    assert folders == EU_CODES


@pytest.mark.parametrize("code", [c for c in EU_CODES if c != "en"])
def test_each_language_is_written_in_its_own_words(code: str) -> None:
    # A few texts are rightly the same as in English ("API", "EPSO", French "Sources"); many
    # are a file, or part of one, that nobody translated.
    copied = [key for key, text in entries("widget", code).items() if text == ENGLISH[key]]
    assert len(copied) <= 8, f"{code} has {len(copied)} English texts: {copied}"


# A control's visible words must be part of its accessible name, so that a voice-control user
# can say what they see (WCAG 2.5.3; axe-core's label-content-name-mismatch).
NAMED_BY = {
    "widget.launcher": ["widget.open"],
    "precheck.remove": ["precheck.remove_language", "precheck.remove_period"],
}


def _words(text: Text) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", str(text).lower()).split())


@pytest.mark.parametrize("code", EU_CODES)
def test_each_controls_visible_words_are_in_its_accessible_name(code: str) -> None:
    texts = entries("widget", code)
    for visible, names in NAMED_BY.items():
        for name in names:
            assert _words(texts[visible]) in _words(texts[name]), (code, visible, name)


def test_the_widget_falls_back_on_the_english_file_and_nothing_else() -> None:
    source = (WEB / "widget" / "widget.js").read_text(encoding="utf-8")
    match = re.search(r"const FALLBACK = (\{.*?\n  \});", source, re.S)
    assert match, "widget.js has no FALLBACK object"
    fallback = json.loads(match.group(1))
    assert fallback == {k: v for k, v in ENGLISH.items() if not k.startswith("page.")}


class _PageTexts(HTMLParser):
    """The data-text and data-label keys of a page, with the text each element holds."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self._open: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("data-label"):
            self.labels[str(found["data-label"])] = str(found.get("aria-label"))
        if found.get("data-text"):
            self._open.append((tag, str(found["data-text"])))
            self.texts[str(found["data-text"])] = ""

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[self._open[-1][1]] += data

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()


def test_the_demo_page_holds_the_english_page_texts_and_uses_every_one() -> None:
    parser = _PageTexts()
    parser.feed((WEB / "site" / "index.html").read_text(encoding="utf-8"))
    shown = {**parser.texts, **parser.labels}
    page_keys = {k: v for k, v in ENGLISH.items() if k.startswith("page.")}
    assert shown == page_keys


# --- in the browser ----------------------------------------------------------------------------

FRENCH = {
    "code": "fr",
    "question": "Quelle est la date limite pour envoyer ma candidature ?",
    "open": "Ouvrir l’assistant",
    "box": "Votre question",
    "tab": "Poser une question",
    "other_tab": "Pré-vérification de l’éligibilité",
    "title": "Questions sur l’appel",
    "sources": "Sources",
    "helpful": "Cette réponse vous a-t-elle été utile ?",
}
GERMAN = {
    "code": "de",
    "question": "Bis wann kann ich mich bewerben?",
    "open": "Assistenten öffnen",
    "box": "Ihre Frage",
    "tab": "Frage stellen",
    "other_tab": "Vorab-Prüfung der Zulassung",
    "title": "Fragen zur Ausschreibung",
    "sources": "Quellen",
    "helpful": "War diese Antwort hilfreich?",
}


def host_page(
    page: Page, live_server: str, *, html_lang: str | None = None, data_lang: str | None = None
) -> None:
    """A page of some other site that embeds the widget with one tag, as a host page would."""
    lang = "" if html_lang is None else f' lang="{html_lang}"'
    data = "" if data_lang is None else f' data-lang="{data_lang}"'
    html = (
        f"<!doctype html><html{lang}><head><title>Host</title></head><body><p>A host page.</p>"
        f'<script src="{live_server}/widget/widget.js"{data}></script></body></html>'
    )
    path = f"{live_server}/host"
    page.route(path, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(path)


def widget_frame(page: Page) -> Locator:
    return page.locator("call-assistant-widget .frame")


def expect_language(page: Page, code: str) -> None:
    """The widget speaks `code`: its frame is marked so, and shown (it waits for its texts)."""
    expect(widget_frame(page)).to_have_attribute("lang", code)
    expect(widget_frame(page)).not_to_have_attribute("hidden", re.compile(".*"))


def open_in(page: Page, words: dict[str, str]) -> None:
    page.get_by_role("button", name=re.compile("^" + re.escape(words["open"]))).click()
    expect(page.get_by_role("textbox", name=words["box"])).to_be_focused()


def answered(page: Page) -> Locator:
    return page.locator("call-assistant-widget li.msg-assistant:not([aria-busy])")


def last_answer(page: Page) -> dict[str, Any]:
    """The answer JSON the widget received last, as it keeps it in the page's sessionStorage."""
    answer: dict[str, Any] = page.evaluate(
        """() => {
            const key = Object.keys(sessionStorage).find((k) => k.startsWith("call-assistant:"));
            const messages = JSON.parse(sessionStorage.getItem(key)).messages;
            return messages.filter((m) => m.answer).at(-1).answer;
        }"""
    )
    return answer


@pytest.mark.server
@pytest.mark.parametrize("words", [FRENCH, GERMAN], ids=["fr", "de"])
def test_a_question_in_the_widgets_language_gets_an_answer_in_it_with_english_quotes(
    page: Page, live_server: str, words: dict[str, str]
) -> None:
    code = words["code"]
    host_page(page, live_server, html_lang="en", data_lang=code)
    expect_language(page, code)
    open_in(page, words)
    expect(page.get_by_role("heading", name=words["title"])).to_be_visible()
    expect(page.get_by_role("tab", name=words["tab"])).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tab", name=words["other_tab"])).to_be_visible()
    expect(page.get_by_role("combobox", name=say(code, "language.label"))).to_have_value(code)

    box = page.get_by_role("textbox", name=words["box"])
    with page.expect_request("**/api/chat/stream") as sent:
        box.fill(words["question"])
        box.press("Enter")
    sent_body = sent.value.post_data_json
    assert sent_body is not None
    assert sent_body["lang"] == code
    expect(answered(page)).to_have_count(1)
    body = last_answer(page)
    answer = answered(page).first

    # The UI around the answer is in the widget's language, and the answer's own sentences
    # are marked with the language the server says they are in.
    expect(answer.get_by_role("group", name=words["helpful"])).to_be_visible()
    text = answer.locator(".msg-text")
    expect(text).to_have_attribute("lang", body["lang"])

    # From here on, what is checked depends on the answering in French and German (the
    # server's), not on the widget: an answer in the question's language, with its citations.
    assert body["lang"] == code, f"the answer came back in {body['lang']!r}: {body['answer']!r}"
    assert len(body["citations"]) >= 1, body
    # The call's words are marked English: quoted in the answer, the sources' sections, the
    # passage.
    expect(text.locator("span[lang=en]").first).to_be_visible()
    expect(answer.locator(".sources-title")).to_have_text(words["sources"])
    expect(answer.locator(".source-link")).to_have_count(len(body["citations"]))
    expect(answer.locator(".source-link span[lang=en]").first).to_have_text(
        body["citations"][0]["section"]
    )
    answer.locator(".cite").first.click()
    viewer = page.locator("call-assistant-widget .source-view")
    expect(viewer.locator("blockquote")).to_have_attribute("lang", "en")
    expect(viewer.locator("mark")).to_be_visible()


@pytest.mark.server
def test_the_precheck_form_in_polish_checks_a_profile_and_shows_the_result_in_polish(
    page: Page, live_server: str
) -> None:
    host_page(page, live_server, html_lang="en", data_lang="pl")
    expect_language(page, "pl")
    open_in(page, {"open": "Otwórz asystenta", "box": "Twoje pytanie"})
    page.get_by_role("tab", name="Wstępna weryfikacja kwalifikowalności").click()
    form = page.get_by_role("tabpanel", name="Wstępna weryfikacja kwalifikowalności")
    expect(form.get_by_role("group", name="Obywatelstwo")).to_be_visible()
    expect(form.get_by_role("group", name="Języki")).to_be_visible()

    form.get_by_label("Obywatelstwa").fill("Poland")
    for label in (
        "Korzystam z pełni praw obywatelskich",
        "Spełniłem/spełniłam wszelkie obowiązki wynikające z przepisów dotyczących służby "
        "wojskowej",
        "Mam zdolność fizyczną do wykonywania swoich obowiązków",
        "Mogę przedstawić odpowiednie referencje potwierdzające nieposzlakowaną opinię",
        "Moje studia są potwierdzone dyplomem",
        "Związane z pracą DG HOME (1)",
    ):
        form.get_by_label(label).select_option("true")
    form.get_by_label("EPSO CAST Permanent (grupa funkcyjna IV)").select_option("passed")
    form.get_by_label("Język 1", exact=True).fill("Polish")
    form.get_by_label("Poziom 1", exact=True).select_option("native")
    form.get_by_label("Język 2", exact=True).fill("en")
    form.get_by_label("Poziom 2", exact=True).select_option("C1")
    form.get_by_label("Lata ukończonych studiów wyższych").fill("5")
    form.get_by_label("Od (1)").fill("2018-01-01")
    form.get_by_label("Do (puste, jeśli trwa) (1)").fill("2022-12-31")

    check = form.get_by_role("button", name="Sprawdź moją kwalifikowalność")
    with page.expect_request("**/api/precheck?*") as sent:
        check.click()
    assert sent.value.url.endswith("/api/precheck?lang=pl")
    verdict = form.get_by_role("heading", name=re.compile("^Wynik:"))
    expect(verdict).to_have_text("Wynik: Kwalifikujesz się na podstawie podanych informacji")
    expect(verdict).to_be_focused()
    table = form.locator("table.criteria")
    expect(table.get_by_role("columnheader")).to_have_text(["Kryterium", "Wynik"])
    rows = table.locator("tbody tr")
    assert rows.count() >= 10
    expect(form.locator(".badge", has_text="Spełnione")).to_have_count(rows.count())
    # The clauses are the call's words, marked English; the deadline in Polish, through Intl.
    expect(rows.first.locator(".clause q")).to_have_attribute("lang", "en")
    expect(form.locator(".pc-result .deadline")).to_contain_text("Termin zaproszenia:")
    expect(form.locator(".pc-result .deadline")).to_contain_text("kwietnia 2025")

    # A refused profile is named in the form's Polish words.
    form.get_by_label("Obywatelstwa").fill("Atlantis")
    check.click()
    expect(form.get_by_role("alert")).to_contain_text("Popraw: Obywatelstwa:")
    expect(verdict).to_be_hidden()


@pytest.mark.server
def test_the_language_menu_switches_every_text_at_once_and_is_remembered(page: Page) -> None:
    page.goto("/")
    expect_language(page, "en")
    page.get_by_role("button", name=re.compile("^Open the assistant")).click()
    menu = page.get_by_role("combobox", name="Language")
    expect(menu).to_have_value("en")
    # Each language in its own words, marked with its own code for screen readers.
    options = menu.locator("option")
    expect(options).to_have_count(24)
    expect(menu.locator("option[value=el]")).to_have_text("Ελληνικά")
    expect(menu.locator("option[value=el]")).to_have_attribute("lang", "el")
    note = page.locator("call-assistant-widget .language-note")
    expect(note).to_be_hidden()  # English has been checked

    # Something typed in the form stays through a change of language.
    page.get_by_role("tab", name="Eligibility pre-check").click()
    page.get_by_label("Nationalities").fill("Belgium")
    menu.focus()
    menu.select_option("fr")
    expect(page.get_by_role("tab", name="Pré-vérification de l’éligibilité")).to_be_visible()
    expect(page.get_by_role("tab", name="Poser une question")).to_be_visible()
    expect(page.get_by_role("combobox", name="Langue")).to_be_focused()
    expect(page.get_by_label("Nationalités")).to_have_value("Belgium")
    expect(page.get_by_role("button", name="Vérifier mon éligibilité")).to_be_visible()
    expect(page.get_by_role("button", name="Fermer")).to_be_visible()
    expect(note).to_have_text("Ces textes n’ont pas encore été relus par un locuteur confirmé.")
    expect(widget_frame(page)).to_have_attribute("lang", "fr")
    # The demo page follows the widget.
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text(say("fr", "page.heading"))
    expect(page).to_have_title(say("fr", "page.title"))
    page.get_by_role("tab", name="Poser une question").click()
    expect(page.get_by_role("textbox", name="Votre question")).to_have_attribute(
        "placeholder", "Tapez votre question…"
    )
    expect(page.get_by_role("button", name="Qui peut postuler ?")).to_be_visible()

    # Remembered: a reload, or another page of the site, comes back in French.
    page.reload()
    expect_language(page, "fr")
    expect(page.locator("h1")).to_have_text(say("fr", "page.heading"))
    # The panel was open: it still is, in French.
    page.get_by_role("combobox", name="Langue").select_option("en")
    expect(page.get_by_role("tab", name="Ask a question")).to_be_visible()
    expect(note).to_be_hidden()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(say("en", "page.heading"))


@pytest.mark.server
@pytest.mark.parametrize(
    ("locale", "html_lang", "data_lang", "speaks"),
    [
        ("it-IT", "de", "fr", "fr"),  # data-lang first
        ("it-IT", "de", None, "de"),  # then the page's language
        ("it-IT", None, None, "it"),  # then the browser's
        ("ja-JP", None, None, "en"),  # a browser language the widget does not speak: English
        ("it-IT", "de-AT", "pt-BR", "pt"),  # a region is its language
        ("it-IT", "ja", None, "en"),  # a page in a language the widget does not speak
        ("it-IT", "de", "auto", "it"),  # "auto": the browser's, whatever the page says
    ],
)
def test_the_language_is_data_lang_then_the_pages_then_the_browsers(
    browser: Browser,
    live_server: str,
    locale: str,
    html_lang: str | None,
    data_lang: str | None,
    speaks: str,
) -> None:
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server, locale=locale)
    try:
        page = context.new_page()
        host_page(page, live_server, html_lang=html_lang, data_lang=data_lang)
        expect_language(page, speaks)
        name = say(speaks, "widget.open")
        expect(page.get_by_role("button", name=name)).to_be_visible()
    finally:
        context.close()


@pytest.mark.server
def test_the_candidates_own_pick_comes_before_every_guess(page: Page, live_server: str) -> None:
    host_page(page, live_server, html_lang="de", data_lang="fr")
    expect_language(page, "fr")
    page.get_by_role("button", name=re.compile("^Ouvrir l’assistant")).click()
    page.get_by_role("combobox", name="Langue").select_option("sv")
    expect(page.get_by_role("tab", name="Ställ en fråga")).to_be_visible()
    page.reload()
    expect_language(page, "sv")


@pytest.mark.server
def test_the_demo_page_speaks_the_visitors_browser_language(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server, locale="de-DE")
    try:
        page = context.new_page()
        page.goto("/")
        expect_language(page, "de")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.locator("h1")).to_have_text(say("de", "page.heading"))
        expect(page).to_have_title(say("de", "page.title"))
        expect(page.get_by_role("navigation", name=say("de", "page.nav"))).to_be_visible()
        expect(page.get_by_role("link", name=say("de", "page.skip"))).to_be_attached()
        open_in(page, GERMAN)
        expect(page.locator("call-assistant-widget .language-note")).to_have_text(
            say("de", "language.unreviewed")
        )
    finally:
        context.close()
