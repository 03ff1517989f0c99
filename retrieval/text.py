"""The one way the answering pipeline reads words: tokens, stems, topic words, unit codes.

Every stage (message reading, ranking, composing) tokenises with ``WORD`` and stems with
``stem``, so that a word counted as a topic in a question is the same word in a sentence.
"""

from __future__ import annotations

import re

import Stemmer

_STEMMER = Stemmer.Stemmer("english")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*|\d+")
_CLITIC = re.compile(r"n't$|'(s|m|d|ve|re|ll|t)$")

# Words that carry no topic: function words and the words every question about a job uses.
STOP = frozenset(
    """a an the and or but if then so of for to in on at by with from about into as than too very
    is are was were be been being am do does did doing have has had having can could would
    will shall should may might must i me my mine myself you your yours we us our they them
    their it its this that these those there here what which who whom whose where when why
    how any some all each every more most much many such only own same other another also
    just still even really please tell know want need get got go going make made let ok okay
    yes no not hi hello thanks thank exactly roughly usually actually currently right now
    today possible able one someone anyone something anything thing things way like lot lots
    bit kind sort well say said call job post position role apply applying application
    applications candidate candidates work working dg home commission european eu long
    longer longest short start starts started begin end ends finish finishing before after
    during until since ago soon later early late first last next new old big small large
    good best better bad enough exact exactly certain mention mentioned mentions meant mean
    means say says written write explain explained describe described take taken took give
    given put keep find found run runs conduct conducts done happen happens happened come
    comes look looks see seen somewhere else anywhere everywhere sure maybe probably
    whatever whatsoever realistically gone go went back once off onto forward
    claim claims swap swapping considered consider land lands landed decide decides decided
    treat treated he she him her his hers himself herself who'd ca wo sha ai are were have has
    around across over under again already always never often sometimes yet though although
    however because while whether via per etc much little less least few several various
    true false fine great nice sorry hey dear regards cheers guys folks basically simply
    definitely honestly quick quickly question questions answer wondering wonder curious
    idea ideas info goes thru u ur r pls plz cite cites cited confirm confirms refer
    refers out up down away against mostly according nutshell short""".split()
    # Contractions typed without their apostrophe: "whats" is "what's", never a topic.
    + """whats wheres whens whos hows whys thats theres heres im ive youre theyre
    dont doesnt didnt isnt arent wasnt werent cant couldnt wont wouldnt shouldnt hasnt
    havent""".split()
)


def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower().replace("’", "'")))


def stems(words: list[str]) -> list[str]:
    return [str(s) for s in _STEMMER.stemWords([w.lower() for w in words])]


def content_words(text: str) -> list[str]:
    """Lower-cased words of a text that carry its topic, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in WORD.findall(text):
        lowered = word.lower().replace("’", "'")
        # "I'm", "who'd", "aren't": the clitic carries no topic, and "aren" is not a word.
        lowered = _CLITIC.sub("", lowered)
        if lowered not in STOP and not lowered.isdigit() and len(lowered) > 1:
            seen.setdefault(lowered, None)
    return list(seen)


def word_stems(word: str) -> frozenset[str]:
    """A word's stem, and for a compound its parts' too: "conflict-of-interest" holds "conflict"."""
    parts = [p for p in word.split("-") if len(p) > 1 and p.lower() not in STOP]
    return frozenset(map(stem, [word, *parts]))


def text_stems(text: str) -> frozenset[str]:
    """Every stem of a text, compounds with their parts."""
    return frozenset(r for w in WORD.findall(text) for r in word_stems(w))


# The one unit-code pattern. A bare "C1" is a language level: a code counts only after "HOME"
# or "unit" ("HOME.C.3", "HOME C3", "unit c3", "units B4 and C1" names only B4).
UNIT_REFERENCE = re.compile(
    r"\bHOME\s?\.?\s?(0\d|[A-E]\s?\.?\s?\d)\b|\bunits?\s+([A-E]\s?\.?\s?\d|0\d)\b",
    re.I,
)


def unit_codes(text: str) -> list[str]:
    """Unit codes a text names, in the call's form: "C3", "HOME C.3", "unit c3" -> "HOME.C.3"."""
    codes = []
    for match in UNIT_REFERENCE.finditer(text):
        raw = re.sub(r"[\s.]", "", (match.group(1) or match.group(2)).upper())
        code = f"HOME.{raw}" if raw[0] == "0" else f"HOME.{raw[0]}.{raw[1:]}"
        if code not in codes:
            codes.append(code)
    return codes
