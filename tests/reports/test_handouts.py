"""The handout catalogues: every language has every text the sheets use, with the same
placeholders; only Turkish and English count as reviewed until a store says otherwise."""

from __future__ import annotations

import json
import re
from datetime import time
from pathlib import Path

import pytest

import caseworker
from caseworker.domain.directory import Schedule
from caseworker.domain.taxonomy import support_taxonomy
from caseworker.errors import InvalidInput
from caseworker.i18n import placeholders
from caseworker.reports.handouts import HANDOUT_LANGUAGES, handout, hours_text, require_language
from caseworker.reports.pathway import SECTOR_LABELS

SOURCE = Path(caseworker.__file__).resolve().parent
USED = re.compile(r"""(?:sheet\.text|\.text)\(\s*(?:\n\s*)?"((?:[^"\\]|\\.)+)\"""")


def used_keys() -> set[str]:
    keys = set(SECTOR_LABELS.values()) | {term.label_en for term in support_taxonomy().terms}
    for path in (SOURCE / "reports").glob("*.py"):
        keys |= {match.encode().decode("unicode_escape").encode("latin-1").decode("utf-8") for match in USED.findall(path.read_text(encoding="utf-8"))}
    steps = [line for line in (SOURCE / "reports" / "pathway.py").read_text(encoding="utf-8").splitlines() if re.match(r'\s+"[1-4]\. ', line)]
    keys |= {line.strip().rstrip(",").strip('"') for line in steps}
    return keys


@pytest.mark.parametrize("language", HANDOUT_LANGUAGES)
def test_every_used_text_is_translated_with_the_same_placeholders(language):
    sheet = handout(language)
    missing = sorted(key for key in used_keys() if not sheet.texts.get(key, "").strip())
    assert not missing, missing
    for key, text in sheet.texts.items():
        assert placeholders(text) == placeholders(key), (key, text)


def test_catalogues_hold_the_same_keys_and_flags():
    english = set(handout("en").texts)
    for language in HANDOUT_LANGUAGES:
        data = json.loads((SOURCE / "resources" / "handouts" / f"{language}.json").read_text(encoding="utf-8"))
        assert data["language"] == language and set(data["texts"]) == english
        assert data["reviewed"] is (language in ("tr", "en"))
    assert handout("ar").rtl and handout("fa").rtl and not handout("kmr").rtl


def test_hours_in_the_sheets_language_and_an_unknown_language():
    weekdays = Schedule("s", byday="MO,TU,WE,TH,FR", opens_at=time(9), closes_at=time(17))
    assert hours_text(weekdays, handout("tr")) == "Pazartesi–Cuma, 09:00–17:00"
    assert hours_text(Schedule("s", byday="MO,TU,WE,TH,FR,SA,SU"), handout("kmr")) == "her roj, hemû roj"
    assert hours_text(Schedule("s", freq="", description="Randevu ile"), handout("ar")) == "Randevu ile"
    with pytest.raises(InvalidInput):
        require_language("de")
