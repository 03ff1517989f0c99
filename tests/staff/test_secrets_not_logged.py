"""No password, token, e-mail or profile content reaches the server's log: a real
`assistant serve` is sent distinctive strings, then its whole output is searched for them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from servers import start_api
from staff_helpers import EMAIL, add_staff, token_for, upgrade

from assistant.config import Settings

pytestmark = pytest.mark.server

PASSWORD = "Zebra-Quartz-7391-password"
WRONG_PASSWORD = "Wrong-Walrus-5512-password"
SECRET_EMAIL_TEXT = "My neighbour Ottoline Pemberton-Quist asks: how long is the probation?"
PROFILE_NAME = "Xylander-Nationality-Marker"
COMMENT = "Comment-Pangolin-2208"


def test_no_secret_or_content_is_logged(
    database_url: str, indexed_settings: Settings, tmp_path: Path
) -> None:
    if database_url.startswith("postgresql"):
        upgrade(database_url)  # on SQLite, the server itself migrates at start
    env = {
        "ASSISTANT_DATA_DIR": str(indexed_settings.data_dir),
        "ASSISTANT_DATABASE_URL": database_url,
        "ASSISTANT_STAFF_USER_HEADER": "X-Forwarded-User",
    }
    with start_api(env, tmp_path) as api:
        add_staff(database_url, password=PASSWORD)
        token = token_for(database_url)
        with httpx.Client(base_url=api.url, timeout=60) as client:
            wrong = client.post(
                "/api/auth/login", json={"email": EMAIL, "password": WRONG_PASSWORD}
            )
            assert wrong.status_code == 401
            login = client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
            assert login.status_code == 200, login.text
            csrf = login.json()["csrf_token"]
            session = login.cookies["assistant_session"]
            draft = client.post(
                "/api/draft",
                json={"message": SECRET_EMAIL_TEXT, "profile": {"nationalities": [PROFILE_NAME]}},
                headers={"X-CSRF-Token": csrf},
            )
            assert draft.status_code == 422  # an unknown nationality, named in the answer only
            ok = client.post(
                "/api/draft", json={"message": SECRET_EMAIL_TEXT}, headers={"X-CSRF-Token": csrf}
            )
            assert ok.status_code == 200, ok.text
            rating = {"rating": "down", "question": "q", "answer": "a", "comment": COMMENT}
            assert client.post("/api/feedback", json=rating).status_code == 201
            bearer = {"Authorization": f"Bearer {token}"}
            assert client.get("/api/feedback", headers=bearer).status_code == 200
            assert (
                client.get("/api/feedback", headers={"X-Forwarded-User": EMAIL}).status_code == 200
            )
            revoked = {"Authorization": f"Bearer {token}x"}
            assert client.get("/api/feedback", headers=revoked).status_code == 401
            client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
        log = api.output()
    assert '"path": "/api/auth/login"' in log  # the requests are logged...
    for secret in (
        PASSWORD,
        WRONG_PASSWORD,
        token,
        csrf,
        session,
        "Pemberton",
        PROFILE_NAME,
        COMMENT,
    ):
        assert secret not in log, secret  # ...never what they carried
    assert EMAIL not in log
