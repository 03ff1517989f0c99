"""Domain errors carry their HTTP status and exit code; the API and the CLI read them there."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
import typer

import assistant
import retrieval
from assistant.api.errors import public_message, retry_headers, status_for
from assistant.failure import fail
from retrieval.errors import AssistantError, StoreUnavailable


def domain_errors() -> list[type[AssistantError]]:
    for package in (assistant, retrieval):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not module.name.endswith("__main__"):  # that one runs the command
                importlib.import_module(module.name)
    found: list[type[AssistantError]] = []
    todo = [AssistantError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_every_domain_error_names_its_exit_code_and_the_api_and_cli_use_it() -> None:
    errors = domain_errors()
    assert len(errors) >= 13
    for cls in errors:
        assert "exit_code" in vars(cls), f"{cls.__name__} has no exit code of its own"
        assert cls.exit_code not in (0, 1), cls.__name__  # 1 is an unexpected crash
        error = cls("what happened")
        assert status_for(error) == cls.status
        with pytest.raises(typer.Exit) as exited:
            fail(error)
        assert exited.value.exit_code == cls.exit_code
        # A failure that is ours never says more than that to a client.
        if cls.status == 500:
            assert "what happened" not in public_message(error)


def test_a_failure_that_passes_by_itself_says_when_to_try_again() -> None:
    assert retry_headers(StoreUnavailable("restarting")) == {"Retry-After": "5"}
