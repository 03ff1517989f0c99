"""``assistant draft EMAIL.txt [--profile P.json]``: the same draft as the API, from the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sample_profiles import ELIGIBLE
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.drafting import Draft


def env_for(settings: Settings) -> dict[str, str]:
    return {"ASSISTANT_DATA_DIR": str(settings.data_dir)}


def test_draft_prints_a_reply_with_sources_and_the_precheck(
    indexed_settings: Settings, tmp_path: Path
) -> None:
    email = tmp_path / "email.txt"
    email.write_text(
        "Hello,\n\nHow long is the probationary period? And what is the deadline for "
        "expressing interest?\n\nThanks,\nJan Peeters\n",
        encoding="utf-8",
    )
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(ELIGIBLE), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["draft", str(email), "--profile", str(profile), "--json"],
        env=env_for(indexed_settings),
    )
    assert result.exit_code == 0, result.output
    draft = Draft.model_validate_json(result.stdout)
    assert len(draft.questions) == 2
    assert draft.precheck is not None
    assert draft.precheck.verdict in {"eligible", "not_eligible"}
    assert draft.draft.startswith("Dear Jan Peeters,")
    assert "Sources (the words of the call):" in draft.draft
    assert "About your eligibility" in draft.draft


def test_an_invalid_profile_exits_2_before_anything_loads(
    indexed_settings: Settings, tmp_path: Path
) -> None:
    email = tmp_path / "email.txt"
    email.write_text("When is the deadline?", encoding="utf-8")
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"nationalities": ["Atlantis"]}), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["draft", str(email), "--profile", str(profile)], env=env_for(indexed_settings)
    )
    assert result.exit_code == 2
    assert "profile.nationalities.0" in result.output
    assert "Atlantis" in result.output or "unknown" in result.output.lower()


def test_an_empty_email_exits_2(indexed_settings: Settings, tmp_path: Path) -> None:
    email = tmp_path / "email.txt"
    email.write_text("  \n", encoding="utf-8")
    result = CliRunner().invoke(app, ["draft", str(email)], env=env_for(indexed_settings))
    assert result.exit_code == 2
    assert "the message is empty" in result.output


def test_a_missing_email_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["draft", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    # The error box wraps its text at the terminal's width, wherever a long path puts the
    # break: read it without the box and the line breaks.
    assert "does not exist" in " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
