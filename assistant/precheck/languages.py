"""Language table: ISO 639-1 codes, English names, the 24 official EU languages, CEFR levels.

Names come from the ISO 639-2 list (the entries that have an ISO 639-1 code). A known language that
is not an official EU language is a valid answer (it just does not count for the language rules); an
unknown one is a validation error.
"""

from __future__ import annotations

import re
from typing import Final

from assistant.precheck.countries import shown
from assistant.precheck.spellings import any_case_pattern, matches

# (ISO 639-1 code, English names), generated from the ISO 639-2 list of Debian's iso-codes package.
_ISO_639_1: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("aa", ("Afar",)),
    ("ab", ("Abkhazian",)),
    ("ae", ("Avestan",)),
    ("af", ("Afrikaans",)),
    ("ak", ("Akan",)),
    ("am", ("Amharic",)),
    ("an", ("Aragonese",)),
    ("ar", ("Arabic",)),
    ("as", ("Assamese",)),
    ("av", ("Avaric",)),
    ("ay", ("Aymara",)),
    ("az", ("Azerbaijani",)),
    ("ba", ("Bashkir",)),
    ("be", ("Belarusian",)),
    ("bg", ("Bulgarian",)),
    ("bh", ("Bihari languages",)),
    ("bi", ("Bislama",)),
    ("bm", ("Bambara",)),
    ("bn", ("Bengali",)),
    ("bo", ("Tibetan",)),
    ("br", ("Breton",)),
    ("bs", ("Bosnian",)),
    ("ca", ("Catalan", "Valencian")),
    ("ce", ("Chechen",)),
    ("ch", ("Chamorro",)),
    ("co", ("Corsican",)),
    ("cr", ("Cree",)),
    ("cs", ("Czech",)),
    (
        "cu",
        (
            "Church Slavic",
            "Old Slavonic",
            "Church Slavonic",
            "Old Bulgarian",
            "Old Church Slavonic",
        ),
    ),
    ("cv", ("Chuvash",)),
    ("cy", ("Welsh",)),
    ("da", ("Danish",)),
    ("de", ("German",)),
    ("dv", ("Divehi", "Dhivehi", "Maldivian")),
    ("dz", ("Dzongkha",)),
    ("ee", ("Ewe",)),
    ("el", ("Greek, Modern (1453-)",)),
    ("en", ("English",)),
    ("eo", ("Esperanto",)),
    ("es", ("Spanish", "Castilian")),
    ("et", ("Estonian",)),
    ("eu", ("Basque",)),
    ("fa", ("Persian",)),
    ("ff", ("Fulah",)),
    ("fi", ("Finnish",)),
    ("fj", ("Fijian",)),
    ("fo", ("Faroese",)),
    ("fr", ("French",)),
    ("fy", ("Western Frisian",)),
    ("ga", ("Irish",)),
    ("gd", ("Gaelic", "Scottish Gaelic")),
    ("gl", ("Galician",)),
    ("gn", ("Guarani",)),
    ("gu", ("Gujarati",)),
    ("gv", ("Manx",)),
    ("ha", ("Hausa",)),
    ("he", ("Hebrew",)),
    ("hi", ("Hindi",)),
    ("ho", ("Hiri Motu",)),
    ("hr", ("Croatian",)),
    ("ht", ("Haitian", "Haitian Creole")),
    ("hu", ("Hungarian",)),
    ("hy", ("Armenian",)),
    ("hz", ("Herero",)),
    ("ia", ("Interlingua (International Auxiliary Language Association)",)),
    ("id", ("Indonesian",)),
    ("ie", ("Interlingue", "Occidental")),
    ("ig", ("Igbo",)),
    ("ii", ("Sichuan Yi", "Nuosu")),
    ("ik", ("Inupiaq",)),
    ("io", ("Ido",)),
    ("is", ("Icelandic",)),
    ("it", ("Italian",)),
    ("iu", ("Inuktitut",)),
    ("ja", ("Japanese",)),
    ("jv", ("Javanese",)),
    ("ka", ("Georgian",)),
    ("kg", ("Kongo",)),
    ("ki", ("Kikuyu", "Gikuyu")),
    ("kj", ("Kuanyama", "Kwanyama")),
    ("kk", ("Kazakh",)),
    ("kl", ("Kalaallisut", "Greenlandic")),
    ("km", ("Central Khmer",)),
    ("kn", ("Kannada",)),
    ("ko", ("Korean",)),
    ("kr", ("Kanuri",)),
    ("ks", ("Kashmiri",)),
    ("ku", ("Kurdish",)),
    ("kv", ("Komi",)),
    ("kw", ("Cornish",)),
    ("ky", ("Kirghiz", "Kyrgyz")),
    ("la", ("Latin",)),
    ("lb", ("Luxembourgish", "Letzeburgesch")),
    ("lg", ("Ganda",)),
    ("li", ("Limburgan", "Limburger", "Limburgish")),
    ("ln", ("Lingala",)),
    ("lo", ("Lao",)),
    ("lt", ("Lithuanian",)),
    ("lu", ("Luba-Katanga",)),
    ("lv", ("Latvian",)),
    ("mg", ("Malagasy",)),
    ("mh", ("Marshallese",)),
    ("mi", ("Maori",)),
    ("mk", ("Macedonian",)),
    ("ml", ("Malayalam",)),
    ("mn", ("Mongolian",)),
    ("mr", ("Marathi",)),
    ("ms", ("Malay",)),
    ("mt", ("Maltese",)),
    ("my", ("Burmese",)),
    ("na", ("Nauru",)),
    ("nb", ("Bokmål, Norwegian", "Norwegian Bokmål")),
    ("nd", ("Ndebele, North", "North Ndebele")),
    ("ne", ("Nepali",)),
    ("ng", ("Ndonga",)),
    ("nl", ("Dutch", "Flemish")),
    ("nn", ("Norwegian Nynorsk", "Nynorsk, Norwegian")),
    ("no", ("Norwegian",)),
    ("nr", ("Ndebele, South", "South Ndebele")),
    ("nv", ("Navajo", "Navaho")),
    ("ny", ("Chichewa", "Chewa", "Nyanja")),
    ("oc", ("Occitan (post 1500)", "Provençal")),
    ("oj", ("Ojibwa",)),
    ("om", ("Oromo",)),
    ("or", ("Oriya",)),
    ("os", ("Ossetian", "Ossetic")),
    ("pa", ("Panjabi", "Punjabi")),
    ("pi", ("Pali",)),
    ("pl", ("Polish",)),
    ("ps", ("Pushto", "Pashto")),
    ("pt", ("Portuguese",)),
    ("qu", ("Quechua",)),
    ("rm", ("Romansh",)),
    ("rn", ("Rundi",)),
    ("ro", ("Romanian", "Moldavian", "Moldovan")),
    ("ru", ("Russian",)),
    ("rw", ("Kinyarwanda",)),
    ("sa", ("Sanskrit",)),
    ("sc", ("Sardinian",)),
    ("sd", ("Sindhi",)),
    ("se", ("Northern Sami",)),
    ("sg", ("Sango",)),
    ("si", ("Sinhala", "Sinhalese")),
    ("sk", ("Slovak",)),
    ("sl", ("Slovenian",)),
    ("sm", ("Samoan",)),
    ("sn", ("Shona",)),
    ("so", ("Somali",)),
    ("sq", ("Albanian",)),
    ("sr", ("Serbian",)),
    ("ss", ("Swati",)),
    ("st", ("Sotho, Southern",)),
    ("su", ("Sundanese",)),
    ("sv", ("Swedish",)),
    ("sw", ("Swahili",)),
    ("ta", ("Tamil",)),
    ("te", ("Telugu",)),
    ("tg", ("Tajik",)),
    ("th", ("Thai",)),
    ("ti", ("Tigrinya",)),
    ("tk", ("Turkmen",)),
    ("tl", ("Tagalog",)),
    ("tn", ("Tswana",)),
    ("to", ("Tonga (Tonga Islands)",)),
    ("tr", ("Turkish",)),
    ("ts", ("Tsonga",)),
    ("tt", ("Tatar",)),
    ("tw", ("Twi",)),
    ("ty", ("Tahitian",)),
    ("ug", ("Uighur", "Uyghur")),
    ("uk", ("Ukrainian",)),
    ("ur", ("Urdu",)),
    ("uz", ("Uzbek",)),
    ("ve", ("Venda",)),
    ("vi", ("Vietnamese",)),
    ("vo", ("Volapük",)),
    ("wa", ("Walloon",)),
    ("wo", ("Wolof",)),
    ("xh", ("Xhosa",)),
    ("yi", ("Yiddish",)),
    ("yo", ("Yoruba",)),
    ("za", ("Zhuang", "Chuang")),
    ("zh", ("Chinese",)),
    ("zu", ("Zulu",)),
)

_NAME_ALIASES: Final[dict[str, str]] = {
    "greek": "el",
    "modern greek": "el",
    "slovene": "sl",
    "irish gaelic": "ga",
    "gaelic": "gd",
    "farsi": "fa",
    "persian (farsi)": "fa",
    "norwegian bokmal": "nb",
    "norwegian nynorsk": "nn",
    "moldovan": "ro",
}

# The 24 official languages of the European Union.
OFFICIAL_EU_LANGUAGES: Final[frozenset[str]] = frozenset(
    {
        "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr",
        "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
    }
)  # fmt: skip

LANGUAGE_NAMES: Final[dict[str, str]] = {code: names[0] for code, names in _ISO_639_1}
LANGUAGE_NAMES["el"] = "Greek"


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, names in _ISO_639_1:
        lookup[code] = code
        for name in names:
            lookup.setdefault(name.casefold(), code)
    for alias, code in _NAME_ALIASES.items():
        lookup.setdefault(alias, code)
    return lookup


_LOOKUP: Final[dict[str, str]] = _build_lookup()

# Every code and name of the table, in any case: the `pattern` of a declared language.
LANGUAGE_PATTERN: Final[str] = any_case_pattern(_LOOKUP)
_LANGUAGE_RE: Final[re.Pattern[str]] = re.compile(LANGUAGE_PATTERN)


def _unknown(value: str) -> ValueError:
    return ValueError(
        f"unknown language {shown(value)}: give an ISO 639-1 code (e.g. fr) or an English "
        "language name"
    )


def language_code(value: str) -> str:
    """The ISO 639-1 code for a code or English name; ValueError when unknown."""
    key = " ".join(value.split()).casefold()
    try:
        return _LOOKUP[key]
    except KeyError:
        raise _unknown(value) from None


def declared_language(value: str) -> str:
    """``language_code`` of a profile's language, spelled as the published LANGUAGE_PATTERN
    allows (only spaces between and around words); ValueError otherwise."""
    if not matches(_LANGUAGE_RE, value):
        raise _unknown(value)
    return language_code(value)


def is_official_eu_language(code: str) -> bool:
    return code in OFFICIAL_EU_LANGUAGES


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


# CEFR levels, lowest first. "native" is accepted and ranks as C2, the highest CEFR level.
CEFR_LEVELS: Final[tuple[str, ...]] = ("A1", "A2", "B1", "B2", "C1", "C2")
_RANK: Final[dict[str, int]] = {level: i for i, level in enumerate(CEFR_LEVELS, start=1)}
_RANK["native"] = _RANK["C2"]

# The spellings of a level that are accepted, each with the level it means: the `enum` of the
# published schema is this table's keys.
LEVEL_SPELLINGS: Final[dict[str, str]] = {
    **{spelling: level for level in CEFR_LEVELS for spelling in (level, level.lower())},
    **{spelling: "native" for spelling in ("native", "Native", "NATIVE")},
}


def normalize_level(value: str) -> str:
    """ "c1" → "C1", "Native" → "native"; ValueError for any other spelling."""
    try:
        return LEVEL_SPELLINGS[value]
    except KeyError:
        raise ValueError(
            f"level {shown(value)} is not one of A1, A2, B1, B2, C1, C2 or native"
        ) from None


def level_rank(level: str) -> int:
    return _RANK[level]
