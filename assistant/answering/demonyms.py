"""Nationality adjectives and nouns ("Belgian", "a Dane") and the country each names.

Language knowledge, like the pre-check's country table it points into: the 27 Member States,
their neighbours and the countries candidates most often come from. An adjective that is also a
language ("French", "German") counts as a nationality only with a cue ("I'm French", "French
citizen"): facts.py decides which. "English" is left out: it is said of speakers far more often
than of a nationality ("as an English speaker"), and "British" says the nationality.
"""

from __future__ import annotations

from typing import Final

DEMONYMS: Final[dict[str, str]] = {
    # The 27 Member States
    "austrian": "AT", "belgian": "BE", "bulgarian": "BG", "croatian": "HR", "croat": "HR",
    "cypriot": "CY", "czech": "CZ", "danish": "DK", "dane": "DK", "estonian": "EE",
    "finnish": "FI", "finn": "FI", "french": "FR", "german": "DE", "greek": "GR",
    "hungarian": "HU", "irish": "IE", "italian": "IT", "latvian": "LV", "lithuanian": "LT",
    "luxembourgish": "LU", "luxembourger": "LU", "maltese": "MT", "dutch": "NL",
    "polish": "PL", "pole": "PL", "portuguese": "PT", "romanian": "RO", "slovak": "SK",
    "slovakian": "SK", "slovenian": "SI", "slovene": "SI", "spanish": "ES", "spaniard": "ES",
    "swedish": "SE", "swede": "SE",
    # Neighbours and candidate countries
    "norwegian": "NO", "icelandic": "IS", "swiss": "CH", "british": "GB",
    "scottish": "GB", "welsh": "GB", "liechtensteiner": "LI", "monegasque": "MC",
    "andorran": "AD", "turkish": "TR", "ukrainian": "UA", "moldovan": "MD", "georgian": "GE",
    "serbian": "RS", "albanian": "AL", "bosnian": "BA", "montenegrin": "ME",
    "macedonian": "MK", "north macedonian": "MK", "kosovar": "XK", "russian": "RU",
    "belarusian": "BY", "armenian": "AM",
    # Elsewhere
    "american": "US", "canadian": "CA", "mexican": "MX", "brazilian": "BR",
    "argentinian": "AR", "argentine": "AR", "chilean": "CL", "colombian": "CO",
    "peruvian": "PE", "venezuelan": "VE", "australian": "AU", "new zealander": "NZ",
    "indian": "IN", "pakistani": "PK", "bangladeshi": "BD", "chinese": "CN",
    "japanese": "JP", "korean": "KR", "south korean": "KR", "vietnamese": "VN",
    "filipino": "PH", "indonesian": "ID", "thai": "TH", "iranian": "IR", "iraqi": "IQ",
    "syrian": "SY", "lebanese": "LB", "israeli": "IL", "egyptian": "EG",
    "moroccan": "MA", "algerian": "DZ", "tunisian": "TN", "nigerian": "NG",
    "ghanaian": "GH", "kenyan": "KE", "south african": "ZA", "ethiopian": "ET",
    "senegalese": "SN", "afghan": "AF",
}  # fmt: skip
