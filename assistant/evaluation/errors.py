"""What can stop an evaluation run; `assistant/cli.py` maps each to its exit code."""

from __future__ import annotations

from pydantic import ValidationError

from assistant.validation import field_problems
from retrieval.errors import AssistantError


def describe(exc: ValidationError) -> str:
    """Each problem as ``field.path: message``, without pydantic's echo of the input."""
    return "; ".join(field_problems(exc.errors(include_url=False), root="(top level)"))


class DatasetError(AssistantError):
    """A dataset file is missing, not JSON Lines, or a line does not fit its schema."""

    exit_code = 2


class TargetUnavailable(AssistantError):
    """The server under evaluation cannot be reached or is not ready."""

    exit_code = 7


class GateFailed(AssistantError):
    """A metric of the run is below (or above) the threshold it was held to."""

    exit_code = 8


class ItemFailed(Exception):
    """One question could not be answered (an HTTP error, a refused query): the run goes on."""


class Unsupported(ItemFailed):
    """The target cannot run this kind of case (a server without /api/search): skipped."""


class InvalidGate(AssistantError):
    """A gate file or threshold names an unknown metric or is not valid TOML."""

    exit_code = 2
