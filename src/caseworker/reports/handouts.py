"""The languages of what a woman takes home (the info sheet, the referral pathway) and their fixed
texts, separate from the interface's catalogue: the sheet's language is chosen for the woman,
whatever language the caseworker's screen speaks.

``resources/handouts/<language>.json`` holds, per language, its name, its direction (``ltr`` or
``rtl``), whether a native speaker has reviewed it (``reviewed``) and ``texts``: the English
text of each label or sentence mapped to the translation. Service names, organisations and the
directory's own words are printed as written and never pass through here. A store can also
mark a language reviewed (``app.pathways.mark_reviewed``); until one of the two says so, a
sheet in that language says in small print that its translation is to be reviewed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from caseworker.domain.directory import WEEKDAYS, Schedule, Service
from caseworker.domain.taxonomy import support_taxonomy
from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.paths import resource

HANDOUT_LANGUAGES = ("tr", "en", "ar", "fa", "kmr")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Handout:
    language: str
    name: str
    rtl: bool
    reviewed: bool
    texts: dict[str, str]

    def text(self, key: str, /, **params: object) -> str:
        """The translation of ``key`` (its English text) with ``{placeholders}`` filled in."""
        text = self.texts.get(key) or key
        return text.format(**params) if params else text

    def category(self, code: str) -> str:
        """The label of a kind of service (taxonomy code) in this language."""
        term = support_taxonomy().term(code)
        if self.language == "tr":
            return term.label_tr
        return self.texts.get(term.label_en) or term.label_en


def require_language(language: str) -> str:
    if language not in HANDOUT_LANGUAGES:
        raise InvalidInput(t("Unknown language {language} for a sheet; use one of: {languages}.", language=language, languages=", ".join(HANDOUT_LANGUAGES)))
    return language


@lru_cache(maxsize=None)
def handout(language: str) -> Handout:
    """The catalogue of ``language`` (one of ``HANDOUT_LANGUAGES``)."""
    require_language(language)
    data = json.loads(resource("handouts", f"{language}.json").read_text(encoding="utf-8"))
    return Handout(language, data["name"], data["direction"] == "rtl", bool(data["reviewed"]), dict(data["texts"]))


def hours_text(schedule: Schedule, sheet: Handout) -> str:
    """Opening hours in the sheet's language: the days ("Monday–Friday", "every day") and the
    hours ("09:00–17:00", "all day"). A rule it cannot say in words gives the schedule's own
    description, as written."""
    tokens = [token.strip() for token in schedule.byday.split(",") if token.strip()]
    if schedule.freq != "WEEKLY" or any(token not in WEEKDAYS for token in tokens) or schedule.bymonthday:
        return schedule.description
    names = [sheet.text(name) for name in _DAY_NAMES]
    indexes = sorted(WEEKDAYS.index(token) for token in tokens)
    if len(indexes) == len(WEEKDAYS):
        days = [sheet.text("every day")]
    else:
        runs: list[list[int]] = []
        for index in indexes:
            if runs and index == runs[-1][-1] + 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        days = [names[run[0]] if len(run) == 1 else f"{names[run[0]]}, {names[run[-1]]}" if len(run) == 2 else f"{names[run[0]]}–{names[run[-1]]}" for run in runs]
    if schedule.opens_at and schedule.closes_at:
        hours = f"{schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}"
    else:
        hours = sheet.text("all day")
    return "، ".join(days + [hours]) if sheet.rtl else ", ".join(days + [hours])


def phone_numbers(service: Service) -> list[str]:
    """Every number of a (redacted) service: its own, then its places'. The spaces inside a
    number are no-break spaces: a number is never split across lines, and in a right-to-left
    line its digit groups stay in their order (a no-break space between digits binds them)."""
    numbers = [phone.number for phone in service.phones] + [phone.number for location in service.locations for phone in location.phones]
    return [number.replace(" ", "\u00a0") for number in numbers]
