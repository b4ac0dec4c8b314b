"""The translation catalogue: every visible string of the GUI, the command line and reports.

Strings are written in the code in English and wrapped in ``t()``::

    t("Wrong passphrase for user {user}.", user=name)

The English text is the message id. The catalogue files in ``resources/i18n/*.json`` (one per
area of the program, so that areas never edit the same file) map each id to its Turkish text
and, optionally, to an English text that differs from the id::

    {"Wrong passphrase for user {user}.": {"tr": "{user} kullanıcısının parolası yanlış."}}

Turkish is the default language whatever the system locale. A test reads every ``t("...")`` in
the source (and both ids of every ``tn("{count} centre", "{count} centres", count=…)``) and fails on an id missing from the catalogue, an empty translation, or a
translation whose ``{placeholders}`` differ from the id's.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from functools import lru_cache

from caseworker.paths import resource

LANGUAGES = ("tr", "en")
DEFAULT_LANGUAGE = "tr"

_current = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All catalogue files merged: ``{msgid: {"tr": ..., "en": ...}}``.

    A message id defined in two files is a packaging mistake and raises ``ValueError``.
    """
    merged: dict[str, dict[str, str]] = {}
    folder = resource("i18n")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        for msgid, texts in data.items():
            if msgid in merged:
                raise ValueError(f"message id defined twice (second in {entry.name}): {msgid!r}")
            merged[msgid] = texts
    return merged


def current_language() -> str:
    return _current


def set_language(language: str) -> None:
    """Switch the language of everything translated from now on and tell the listeners."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    if language == _current:
        return
    _current = language
    for listener in list(_listeners):
        listener(language)


def on_language_changed(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call ``listener(language)`` after each switch; returns a function that unsubscribes."""
    _listeners.append(listener)

    def unsubscribe() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return unsubscribe


def translate(msgid: str, language: str | None = None) -> str:
    """The text of ``msgid`` in ``language`` (default: the current one), unformatted."""
    language = language or _current
    texts = catalogue().get(msgid)
    if texts is None:
        return msgid
    if language == "en":
        return texts.get("en", msgid)
    return texts.get(language) or texts.get("en", msgid)


def t(msgid: str, /, **params: object) -> str:
    """Translate ``msgid`` into the current language and fill in its ``{placeholders}``."""
    text = translate(msgid)
    return text.format(**params) if params else text


def tn(count: int, one: str, many: str, /, **params: object) -> str:
    """``t(one)`` when ``count`` is 1, else ``t(many)``, with ``{count}`` filled in: English
    says "1 centre" but "2 centres" (Turkish texts of both usually read the same)."""
    return t(one if count == 1 else many, count=count, **params)


def t_in(language: str, msgid: str, /, **params: object) -> str:
    """Like ``t`` but in a given language (reports printed in a language of their own)."""
    text = translate(msgid, language)
    return text.format(**params) if params else text


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in a message."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
