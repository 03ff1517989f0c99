"""Fixtures of the tests of questions in other languages."""

from __future__ import annotations

import pytest

from assistant.runtime import Services
from retrieval.multilingual import Multilingual


@pytest.fixture(scope="module")
def found(services: Services) -> Multilingual:
    """The multilingual model and the vectors built by the session's index."""
    multilingual = services.multilingual
    assert multilingual is not None, "the multilingual model is installed and on by default"
    return multilingual
