"""GET /api/locales and GET /api/locales/{code}: the widget's languages and texts."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from assistant.locales import entries, languages

EU_CODES = "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv".split()


def test_the_list_names_the_24_official_languages_each_in_itself(client: TestClient) -> None:
    response = client.get("/api/locales")
    assert response.status_code == 200
    listing = response.json()
    assert [entry["code"] for entry in listing] == EU_CODES
    by_code = {entry["code"]: entry for entry in listing}
    assert by_code["fr"] == {
        "code": "fr",
        "name": "Français",
        "english": "French",
        "reviewed": False,
    }
    assert by_code["el"]["name"] == "Ελληνικά"
    assert by_code["en"]["reviewed"] is True
    assert {entry["reviewed"] for entry in listing} == {True, False}


def test_one_language_has_every_english_key_in_its_own_words(client: TestClient) -> None:
    response = client.get("/api/locales/de")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["name"], body["reviewed"]) == ("de", "Deutsch", False)
    texts = body["texts"]
    assert list(texts) == list(entries("widget", "en"))
    assert texts["widget.close"] == "Schließen"
    assert texts["precheck.language"] == "Sprache {n}"
    assert texts["page.nav_call"] != entries("widget", "en")["page.nav_call"]


def test_english_is_the_english_file(client: TestClient) -> None:
    body = client.get("/api/locales/en").json()
    assert body["reviewed"] is True
    assert body["texts"] == entries("widget", "en")


@pytest.mark.parametrize("path", ["/api/locales", "/api/locales/pl"])
def test_the_texts_are_cacheable_and_revalidate_with_their_etag(
    client: TestClient, path: str
) -> None:
    first = client.get(path)
    assert first.headers["cache-control"] == "public, max-age=3600"
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    # A weak form of the same tag, or one of several, still matches; another does not.
    assert client.get(path, headers={"If-None-Match": f'"x", W/{etag}'}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_each_language_has_its_own_etag(client: TestClient) -> None:
    tags = {client.get(f"/api/locales/{code}").headers["etag"] for code in ("fr", "de", "en")}
    assert len(tags) == 3


@pytest.mark.parametrize("code", ["xx", "FR", "fr-BE", "english"])
def test_an_unknown_code_is_a_404_that_names_the_known_ones(client: TestClient, code: str) -> None:
    response = client.get(f"/api/locales/{code}")
    assert response.status_code == 404
    body = response.json()
    assert body["detail"].startswith(f"no language {code!r}: the widget speaks bg, cs, da")
    assert body["request_id"] == response.headers["x-request-id"]
    assert "cache-control" not in response.headers


def test_the_schema_lists_the_codes_a_client_may_ask_for(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/locales/{code}"]["get"]
    [parameter] = operation["parameters"]
    assert parameter["schema"]["enum"] == list(languages())
    assert {"200", "304", "404"} <= set(operation["responses"])
