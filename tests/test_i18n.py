"""The translation catalogue is complete: every t("...") in the source has Turkish text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import caseworker
from caseworker import i18n

SOURCE = Path(caseworker.__file__).resolve().parent


def message_ids() -> dict[str, str]:
    """Every literal message id passed to t(), t_in(), tr() or tn() (its singular and plural) in
    the package, with where it is."""
    found: dict[str, str] = {}
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            for position in {"t": (0,), "tr": (0,), "t_in": (1,), "tn": (1, 2)}.get(name, ()):
                if len(node.args) <= position:
                    continue
                arg = node.args[position]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, f"{path.relative_to(SOURCE)}:{node.lineno}")
    return found


def test_tn_picks_the_singular_for_one_only(english):
    assert i18n.tn(1, "{count} centre enrolled", "{count} centres enrolled") == "1 centre enrolled"
    assert i18n.tn(0, "{count} centre enrolled", "{count} centres enrolled") == "0 centres enrolled"
    assert i18n.tn(2, "{count} centre enrolled", "{count} centres enrolled") == "2 centres enrolled"


def test_source_has_messages():
    assert len(message_ids()) > 50


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language):
    catalogue = i18n.catalogue()
    problems = []
    for msgid, where in sorted(message_ids().items()):
        entry = catalogue.get(msgid)
        if entry is None:
            problems.append(f"missing ({where}): {msgid!r}")
            continue
        text = entry.get(language, msgid if language == "en" else "")
        if not text.strip() or "TODO" in text or "FIXME" in text:
            problems.append(f"empty or placeholder {language} ({where}): {msgid!r}")
        elif i18n.placeholders(text) != i18n.placeholders(msgid):
            problems.append(f"placeholders differ in {language} ({where}): {msgid!r} -> {text!r}")
    assert problems == []


def test_catalogue_entries_are_well_formed():
    for msgid, entry in i18n.catalogue().items():
        assert set(entry) <= {"tr", "en"}, msgid
        assert "tr" in entry, msgid
        # Turkish text differs from the English one (a copy is an untranslated string), except
        # for names and codes that read the same in both languages.
        words = re.sub(r"\{[^}]*\}", "", msgid)
        if entry["tr"] == msgid and sum(c.isalpha() for c in words) > 3 and len(words.split()) > 2:
            pytest.fail(f"Turkish text equals the English id: {msgid!r}")


def test_switching_language_notifies_listeners():
    heard = []
    unsubscribe = i18n.on_language_changed(heard.append)
    i18n.set_language("en")
    i18n.set_language("tr")
    unsubscribe()
    i18n.set_language("en")
    assert heard == ["en", "tr"]


def test_turkish_is_the_default_whatever_the_locale(monkeypatch):
    import importlib

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    fresh = importlib.reload(i18n)
    assert fresh.current_language() == "tr"
