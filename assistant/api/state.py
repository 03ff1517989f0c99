"""What the app holds between requests: the Services, and what failed to load at startup."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.runtime import Services
from retrieval.errors import AssistantError

if TYPE_CHECKING:
    from assistant.answering.answerer import Answerer
    from assistant.precheck import RuleSet

# Loaded at startup, in this order, so the first question does not pay for the model and index.
COMPONENTS = ("retriever", "answerer", "rules")


@dataclass
class Runtime:
    services: Services
    loaded: bool = False
    errors: dict[str, AssistantError] = field(default_factory=dict)

    def load(self) -> None:
        """Build each component once; a domain error is kept (and served as 503), not raised.

        The pre-check needs only the corpus, so it keeps working when the index is missing.
        """
        for name in COMPONENTS:
            try:
                getattr(self.services, name)
            except AssistantError as error:
                self.errors[name] = error
        self.loaded = True

    def require(self, *names: str) -> None:
        """Raise the startup error of the first of ``names`` that failed to load."""
        for name in names:
            if name in self.errors:
                # A copy: raising the stored instance would grow its traceback on every request.
                raise copy.copy(self.errors[name])

    # Called by the routes after the request is validated, so that bad input is still a 422
    # (FastAPI would run a dependency raising 503 before it reports the body's errors).
    def answerer(self) -> Answerer:
        self.require("retriever", "answerer")
        return self.services.answerer

    def rules(self) -> RuleSet:
        self.require("rules")
        return self.services.rules

    @property
    def problem(self) -> AssistantError | None:
        return next(iter(self.errors.values()), None)
