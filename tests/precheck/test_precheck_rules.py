"""The rules file: every quote is the call's exact words, and a broken file fails loudly."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable

import pytest
from precheck_support import RULES_FILE

from assistant.precheck import CRITERION_IDS, RuleSet, load_rules
from assistant.precheck.rules import SECTION_SEPARATOR
from retrieval.corpus import Corpus
from retrieval.errors import CorpusError

CopyCorpus = Callable[[Callable[[str], str]], Corpus]


def test_every_clause_is_verbatim_in_the_call(corpus: Corpus, rules: RuleSet) -> None:
    text = corpus.call().text
    raw = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    for entry in raw["criteria"]:
        assert entry["clause"] in text, entry["id"]
        citation = rules.citation(entry["id"])
        assert text[citation.start : citation.end] == citation.quote == entry["clause"]
        assert citation.section == entry["section"]


def test_every_supporting_quote_is_verbatim_in_the_call(corpus: Corpus, rules: RuleSet) -> None:
    text = corpus.call().text
    for key, citation in rules.citations.items():
        assert text[citation.start : citation.end] == citation.quote, key
    assert "epso_cast.how_to_register" in rules.citations


def test_rules_cover_every_criterion_once_in_file_order(rules: RuleSet) -> None:
    assert tuple(c.id for c in rules.criteria) == CRITERION_IDS


def test_sections_are_heading_paths(rules: RuleSet) -> None:
    sections = {rules.citation(c.id).section for c in rules.criteria}
    assert "3. WE LOOK FOR" in sections
    assert (
        f"3. WE LOOK FOR{SECTION_SEPARATOR}Professional qualification and professional experience"
        in sections
    )


def test_kinds(rules: RuleSet) -> None:
    kinds = {c.id: c.kind for c in rules.criteria}
    assert kinds["english"] == "job_requirement"
    assert kinds["nationality"] == kinds["education"] == "eligibility"


def test_rules_version_is_a_hash_of_the_file(rules: RuleSet) -> None:
    digest = hashlib.sha256(RULES_FILE.read_bytes()).hexdigest()
    assert rules.version == f"sha256:{digest[:12]}"


def test_deadline_comes_from_the_corpus(corpus: Corpus, rules: RuleSet) -> None:
    assert rules.deadline == corpus.call().deadline
    assert rules.reference == "EC-2025-HOME-01"


def test_any_edit_changes_the_version(corpus_copy: CopyCorpus, rules: RuleSet) -> None:
    edited = load_rules(corpus_copy(lambda text: text + "\n# a comment\n"))
    assert edited.version != rules.version


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"test setup: {old!r} is not in the rules file"
        return text.replace(old, new, 1)

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(
            _replace("minimum level C1) of one of the official", "minimum level C1) of any of the"),
            "not found verbatim",
            id="tampered clause",
        ),
        pytest.param(
            _replace('clause = "be a national', 'clause = "be  a national'),
            "not found verbatim",
            id="extra space",
        ),
        pytest.param(
            _replace("No applications will be accepted", "No application will be accepted"),
            "quote 'late'",
            id="tampered supporting quote",
        ),
        pytest.param(
            _replace('clause = "enjoy full rights as a citizen"', 'clause = "EPSO CAST Permanent"'),
            "set `occurrence`",
            id="ambiguous clause",
        ),
        pytest.param(
            _replace(
                'clause = "enjoy full rights as a citizen"',
                'clause = "EPSO CAST Permanent"\noccurrence = 9',
            ),
            "occurrence 9",
            id="occurrence out of range",
        ),
        pytest.param(
            _replace('section = "3. WE LOOK FOR"', 'section = "3. WE LOOK"'),
            "not a heading line",
            id="unknown section",
        ),
        pytest.param(
            _replace('section = "3. WE LOOK FOR"', 'section = "2. WHAT IS THE JOB ABOUT?"'),
            "sits under '3. WE LOOK FOR'",
            id="wrong section",
        ),
        pytest.param(
            _replace('min_level = "B2"', 'min_level = "B1"'),
            "level B1 is not stated",
            id="level not in its clause",
        ),
        pytest.param(
            _replace('min_level = "B2"', 'min_level = "B3"'),
            "second_language",
            id="bad level",
        ),
        pytest.param(
            _replace('min_level = "C1"\n', 'min_level = "B1"\n'),
            "level B1 is not stated",
            id="main level not in its clause",
        ),
        pytest.param(_replace("min_months = 24", 'min_months = "24"'), "min_months", id="type"),
        pytest.param(_replace("min_years = 3", "min_yaers = 3"), "min_yaers", id="unknown key"),
        pytest.param(
            _replace('id = "english"', 'id = "englsh"'), "'englsh'", id="unknown criterion"
        ),
        pytest.param(
            _replace('reference = "EC-2025-HOME-01"', 'reference = "EC-2025-HOME-02"'),
            "not for call",
            id="other call",
        ),
        pytest.param(
            _replace('clause = "by 22/04/2025 at midday 12:00 CET"', 'clause = "12:00 CET"'),
            "22/04/2025",
            id="deadline clause without the manifest's date",
        ),
        pytest.param(
            _replace('stated_utc_offset = "+01:00"', 'stated_utc_offset = "CET"'),
            "UTC offset",
            id="bad offset",
        ),
        pytest.param(lambda text: text + "\n[[criteria\n", "cannot be read", id="bad TOML"),
    ],
)
def test_a_broken_rules_file_fails_loading(
    corpus_copy: CopyCorpus, edit: Callable[[str], str], message: str
) -> None:
    corpus = corpus_copy(edit)
    with pytest.raises(CorpusError, match="rules file") as caught:
        load_rules(corpus)
    assert message in str(caught.value)


def test_a_missing_criterion_fails_loading(corpus_copy: CopyCorpus) -> None:
    def drop_english(text: str) -> str:
        head, rest = text.split('[[criteria]]\nid = "english"', 1)
        return head + "[[criteria]]" + rest.split("[[criteria]]", 1)[1]

    with pytest.raises(CorpusError, match="lacks criteria english"):
        load_rules(corpus_copy(drop_english))


def test_a_duplicate_criterion_fails_loading(corpus_copy: CopyCorpus) -> None:
    def duplicate(text: str) -> str:
        return (
            text
            + '\n[[criteria]]\nid = "nationality"\nlabel = "x"\nkind = "eligibility"\n'
            + ('clause = "be a national of a Member State of the EU"\nsection = "3. WE LOOK FOR"\n')
        )

    with pytest.raises(CorpusError, match="nationality more than once"):
        load_rules(corpus_copy(duplicate))


def test_a_missing_rules_file_fails_loading(corpus_copy: CopyCorpus) -> None:
    corpus = corpus_copy(lambda text: text)
    (corpus.root / "rules" / RULES_FILE.name).unlink()
    with pytest.raises(CorpusError, match="does not exist"):
        load_rules(corpus)


def test_an_occurrence_picks_a_repeated_quote(corpus_copy: CopyCorpus, corpus: Corpus) -> None:
    edit = _replace(
        "[criteria.late]\n",
        "[criteria.late]\noccurrence = 1\n",
    )
    rules = load_rules(corpus_copy(edit))
    assert rules.citation("deadline.late").quote.startswith("No applications")
