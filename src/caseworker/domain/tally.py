"""Tallying one contact: from the answers given on a tally form to the cells it increments.

``cells_for_contact`` checks the answers strictly (a wrong code is refused, never guessed)
and returns each cell the contact adds 1 to, once. ``parse_cli_answers`` reads the
``FIELD=CODE`` words of ``caseworker tally PERIOD FIELD=CODE ...``.

Answers map a field code to:
- a single-choice field: an option code (or a sequence holding one);
- a multiple-choice field: a sequence of option codes (a lone code is taken as one);
- a yes/no field: ``True`` or ``False`` (a missing yes/no answer means no).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from caseworker.domain.catalogue import Catalogue, FormField, TallyForm
from caseworker.domain.counts import CellKey
from caseworker.domain.text import tr_casefold
from caseworker.errors import InvalidInput
from caseworker.i18n import t

Answer = str | Sequence[str] | bool

_YES = {"yes", "evet", "true", "1"}
_NO = {"no", "hayır", "hayir", "false", "0"}


def _choices(form_field: FormField) -> str:
    assert form_field.dimension is not None
    return ", ".join(option.code for option in form_field.dimension.active_options())


def _selected_options(form_field: FormField, answer: Answer | None) -> tuple[str, ...]:
    """The option codes chosen for a single or multiple field, checked."""
    assert form_field.dimension is not None
    if answer is None:
        values: tuple[str, ...] = ()
    elif isinstance(answer, str):
        values = (answer,)
    elif isinstance(answer, Sequence) and all(isinstance(value, str) for value in answer):
        values = tuple(answer)
    else:
        raise InvalidInput(
            t(
                "{field} needs option codes, not {value}. Choose from: {options}.",
                field=form_field.code,
                value=answer,
                options=_choices(form_field),
            )
        )

    if not values and form_field.required:
        if form_field.choice == "single":
            raise InvalidInput(
                t("{field} must be answered: choose one of {options}.", field=form_field.code, options=_choices(form_field))
            )
        raise InvalidInput(
            t("{field} must be answered: choose at least one of {options}.", field=form_field.code, options=_choices(form_field))
        )
    if form_field.choice == "single" and len(values) > 1:
        raise InvalidInput(
            t(
                "{field} takes one answer, but {count} were given: {values}.",
                field=form_field.code,
                count=len(values),
                values=", ".join(values),
            )
        )
    seen: set[str] = set()
    for value in values:
        option = form_field.dimension.option(value)
        if option is None:
            raise InvalidInput(
                t(
                    "“{option}” is not an option of {field}. Choose from: {options}.",
                    option=value,
                    field=form_field.code,
                    options=_choices(form_field),
                )
            )
        if option.retired:
            raise InvalidInput(
                t(
                    "The option {option} of {field} is retired and no longer counted. Choose from: {options}.",
                    option=value,
                    field=form_field.code,
                    options=_choices(form_field),
                )
            )
        if value in seen:
            raise InvalidInput(
                t("{field} lists {option} more than once; give each answer once.", field=form_field.code, option=value)
            )
        seen.add(value)
    order = [option.code for option in form_field.dimension.options]
    return tuple(sorted(values, key=order.index))


def _yes(form_field: FormField, answer: Answer | None) -> bool:
    if answer is None:
        if form_field.required:
            raise InvalidInput(t("{field} must be answered with yes or no.", field=form_field.code))
        return False
    if not isinstance(answer, bool):
        raise InvalidInput(t("{field} takes yes or no, not {value}.", field=form_field.code, value=answer))
    return answer


def cells_for_contact(catalogue: Catalogue, form_code: str, answers: Mapping[str, Answer]) -> list[CellKey]:
    """The cells one contact recorded on form ``form_code`` adds 1 to, each once, in form order."""
    form = catalogue.form(form_code)
    for code in answers:
        if form.field(code) is None:
            raise InvalidInput(
                t(
                    "The form {form} has no field {field}. Its fields are: {fields}.",
                    form=form.code,
                    field=code,
                    fields=", ".join(f.code for f in form.fields),
                )
            )

    selected: dict[str, tuple[str, ...]] = {}
    switched_on: set[str] = set()
    for form_field in form.fields:
        answer = answers.get(form_field.code)
        if form_field.dimension is None:
            if _yes(form_field, answer):
                switched_on.add(form_field.code)
        else:
            selected[form_field.dimension.code] = _selected_options(form_field, answer)

    cells: list[CellKey] = []
    for form_field in form.fields:
        if form_field.dimension is None and form_field.code not in switched_on:
            continue
        for indicator_code in form_field.increments:
            indicator = catalogue.indicator(indicator_code)
            per_dimension = [[(code, option) for option in selected[code]] for code in indicator.dimension_codes]
            for combination in itertools.product(*per_dimension):
                cell = CellKey(indicator_code, combination)
                if cell not in cells:
                    cells.append(cell)
    return cells


def parse_cli_answers(form: TallyForm, words: Sequence[str]) -> dict[str, Answer]:
    """Read ``["age=25-34", "violence=physical", "violence=economic", "children=yes"]``.

    A multiple-choice field is repeated for several answers; a yes/no field takes ``yes`` or
    ``no`` (``evet`` / ``hayır`` too). Option codes are checked by ``cells_for_contact``.
    """
    answers: dict[str, Answer] = {}
    for word in words:
        code, equals, value = word.partition("=")
        code, value = code.strip(), value.strip()
        if not equals or not code or not value:
            raise InvalidInput(t("Answers must be written FIELD=CODE (for example age=25-34), not “{value}”.", value=word))
        form_field = form.field(code)
        if form_field is None:
            raise InvalidInput(
                t(
                    "The form {form} has no field {field}. Its fields are: {fields}.",
                    form=form.code,
                    field=code,
                    fields=", ".join(f.code for f in form.fields),
                )
            )
        if form_field.choice == "yesno":
            if code in answers:
                raise InvalidInput(t("{field} is a yes/no field and takes one answer.", field=code))
            folded = tr_casefold(value)
            if folded not in _YES | _NO:
                raise InvalidInput(t("{field} takes yes or no, not {value}.", field=code, value=value))
            answers[code] = folded in _YES
        elif code in answers:
            previous = answers[code]
            answers[code] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            answers[code] = [value] if form_field.choice == "multiple" else value
    return answers
