"""Which of the 24 official EU languages a message is written in.

py3langid ships its model inside the package (it reads nothing from the network); it is held
in a compact form (``language_model``) and restricted to the 24 languages a candidate may
write in. A message too short or too mixed to tell ("CAST?", "FG IV ok") is read in the
language the widget speaks, else in English: the call's own words (codes, names, acronyms) are
no evidence of a language, so they are set aside before the detector reads the text.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from assistant.answering.language_model import LanguageModel, kept, kept_path
from assistant.locales import DEFAULT, languages, resolve

# Below this many words, or this confidence (over the 24 languages), the text does not tell.
MIN_WORDS = 3
MIN_CONFIDENCE = 0.6

# What reads the same in every language: addresses, references, unit codes, acronyms, numbers.
_NEUTRAL = re.compile(
    r"\S+@\S+|https?://\S+|\b[A-Z]{2,}[\w.-]*\b|\b[\w.-]*\d[\w.-]*\b|\b(?:HOME|EPSO|CAST)\b"
)
_WORD = re.compile(r"[^\W\d_]{2,}")
# The call's own names, which a message in capitals writes like any other word.
_NAMES = re.compile(r"\b(?:HOME|EPSO|CAST)\b")

_lock = threading.Lock()
_detector: LanguageModel | None = None
_kept_in: tuple[Path, bool] | None = None


def keep_in(folder: Path, *, write: bool) -> None:
    """Where the compact model is kept between processes (beside the index): read from there
    it loads in 10 ms instead of being made again in 1.5 s; ``write`` (``assistant index``):
    keep it there, also when this process has loaded it already (from another folder)."""
    global _kept_in
    with _lock:
        _kept_in = (folder, write)
        if write and _detector is not None and not kept_path(languages(), folder).is_file():
            kept(languages(), folder, write=True)


def _model() -> LanguageModel:
    """The detector, loaded once per process (the serving process loads it beside serving,
    see ``warm``)."""
    global _detector
    with _lock:
        if _detector is None:
            folder, write = _kept_in or (None, False)
            _detector = kept(languages(), folder, write=write)
        return _detector


def warm() -> None:
    _model()


def detect(text: str, hint: str | None = None) -> str:
    """The message's language code; ``hint`` (the widget's language) when the text is too
    short or too unsure to tell, else English."""
    fallback = resolve(hint) if hint else DEFAULT
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > len(letters) / 2:
        # A MESSAGE IN CAPITALS is words, not acronyms: the call's names aside, lower-cased.
        text = _NAMES.sub(" ", text).lower()
    plain = _NEUTRAL.sub(" ", text)
    if len(_WORD.findall(plain)) < MIN_WORDS:
        return fallback
    code, confidence = _model().classify(plain)
    if confidence < MIN_CONFIDENCE:
        return fallback
    return str(code)
