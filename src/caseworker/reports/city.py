"""The coordinator's city report over a range of months: what the municipal unit prints for the city.

Contents, in the report's language (Turkish by default): the unit and the range; how many of the
expected monthly reports arrived, and on time; key figures for the city; every indicator's city
total against the same months a year before (when the store holds any figures of them); three
charts (new applicants by district, new applicants month by month, forms of violence); the key
indicators by district; every indicator by district with its breakdown; the key indicators by
centre; and the reporting matrix (each centre's months: on time, late, draft, missing).

A district's figure is the sum of its centres', the city's the sum of all; a range's figure is
the sum of its months. Districts come in Turkish alphabetical order, centres by district and name.

``build_report`` turns the figures into plain data (``CityReport``: its tables can be written as
CSV), ``render_report`` lays that out as a PDF on the shared page template.

A public report (``public=True``) shows the period's public edition and nothing else (the use
case passes no exact figures): every total, the breakdowns the edition publishes (small districts
counted together as "other districts"), the same period a year before and the trend chart from
the editions released for those periods, and the method note. Figures of single centres are left
out (a centre is too small an area to publish); the reporting matrix stays (it holds no counts
of women).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from caseworker.domain.catalogue import Catalogue, Indicator
from caseworker.domain.counts import CellKey
from caseworker.domain.periods import Period, months_between
from caseworker.domain.text import tr_sort_key
from caseworker.i18n import t_in
from caseworker.reports import fonts, method_note, pdf
from caseworker.reports.numbers import cell_text
from caseworker.reports.pdf import KeyFigure
from caseworker.reports.tile_map import TileMap
from caseworker.reports.published_city import PublishedCity, exact_city, public_city
from caseworker.reports.tables import (
    DASH,
    NOT_SHOWN,
    NOT_SHOWN_SYMBOL,
    Entry,
    ReportTable,
    Row,
    change_text,
    date_time_label,
    entry_value,
    month_name,
    not_shown_footnote,
    period_label,
    short_month_name,
)
from caseworker.stats.aggregate import add_up
from caseworker.stats.publication import CITY, OTHER_DISTRICTS, PublicEdition

KEY_INDICATORS = ("NEW_APPLICANTS", "RETURNING_CLIENTS", "SESSIONS", "AWARENESS_EVENTS")
DISTRICT_INDICATORS = ("NEW_APPLICANTS", "RETURNING_CLIENTS", "PROTECTIVE_ORDER_SUPPORT", "WITH_CHILDREN", "SESSIONS", "AWARENESS_EVENTS")
TREND = "NEW_APPLICANTS"
VIOLENCE = "VIOLENCE_TYPE"
TREND_MONTHS = 12
TREND_MONTHS_AT_MOST = 24
MATRIX_MONTHS = 12
VALUE_COLUMNS_AT_MOST = 7


@dataclass(frozen=True)
class CentreRow:
    centre_id: str
    name: str
    district: str


@dataclass(frozen=True)
class ReportingMonth:
    """One centre's month as the coordinator holds it (see ``app.coordination.reporting_rate``);
    ``overdue``: the deadline for the month has passed."""

    expected: bool
    received: bool
    on_time: bool
    status: str | None
    overdue: bool

    @property
    def kind(self) -> str:
        if not self.received:
            if not self.expected:
                return "none"
            return "missing" if self.overdue else "awaited"
        if self.status == "submitted":
            return "on_time" if self.on_time else "late"
        return "draft"


@dataclass(frozen=True)
class CityInput:
    """Everything the report shows, gathered by the use case (``app.reports``). ``months`` holds
    each centre's figures by month: the range, the same months a year before and the trend."""

    catalogue: Catalogue
    unit: str
    first: Period
    last: Period
    centres: Sequence[CentreRow]
    months: Mapping[Period, Mapping[str, Mapping[CellKey, int]]]
    reporting: Mapping[tuple[str, Period], ReportingMonth]
    language: str
    public: bool
    generated_at: datetime
    version: str
    edition: PublicEdition | None = None
    released: Mapping[tuple[Period, Period], PublicEdition] = field(default_factory=dict)
    issued_at: datetime | None = None
    range_sums: Mapping[tuple[Period, Period], Mapping[str, Mapping[CellKey, int]]] = field(default_factory=dict)
    """Each centre's figures already summed over a range (``(first, last)``), when the store summed
    them; ranges not here are summed from ``months``."""
    month_totals: Mapping[Period, Mapping[str, int]] | None = None
    """The city's total of each indicator in each month that holds figures, from the first of the
    same months a year before to the range's end, when the store summed them (the trend chart and
    the comparison with a year before show no more); otherwise they are summed from ``months``."""

    @cached_property
    def periods(self) -> tuple[Period, ...]:
        return months_between(self.first, self.last)

    @cached_property
    def earlier(self) -> tuple[Period, ...]:
        return tuple(period.plus(-12) for period in self.periods)


@dataclass(frozen=True)
class CityReport:
    source: CityInput
    title: str
    subtitle: str
    status_lines: tuple[str, ...]
    key_figures: tuple[KeyFigure, ...]
    overview: ReportTable
    by_district: ReportTable
    district_tables: tuple[ReportTable, ...]
    by_centre: ReportTable | None
    reporting: tuple[ReportTable, ...]
    district_chart: ReportTable | None
    trend: ReportTable | None
    trend_labels: tuple[str, ...]
    violence: ReportTable | None
    method_note: tuple[str, ...] = ()
    chart_districts: tuple[str, ...] = ()
    """The district each row of ``district_chart`` stands for (``OTHER_DISTRICTS`` for merged ones)."""

    @property
    def tables(self) -> tuple[ReportTable, ...]:
        """Every table of the report in report order (what ``--csv`` writes)."""
        charts = tuple(table for table in (self.district_chart, self.trend, self.violence) if table is not None)
        centres = (self.by_centre,) if self.by_centre is not None else ()
        return (self.overview, self.by_district, *self.district_tables, *centres, *self.reporting, *charts)

    @property
    def language(self) -> str:
        return self.source.language

    @property
    def incomplete(self) -> bool:
        """Some expected month of the range has not arrived, or is not submitted yet."""
        return any(cell.expected and cell.kind not in ("on_time", "late")
                   for (_, period), cell in self.source.reporting.items() if period in self.source.periods)


# ---------------------------------------------------------------------------- periods


def range_label(first: Period, last: Period, language: str) -> str:
    """``Mart 2026``, ``2026, 1. çeyrek (Ocak–Mart)``, ``2026 yılı``, ``Ocak 2026 – Mayıs 2026``."""
    if first == last:
        return period_label(first, language)
    if first.month == 1 and last == first.plus(11):
        return t_in(language, "Year {year}", year=first.year)
    if first.month in (1, 4, 7, 10) and last == first.plus(2):
        return t_in(language, "Q{number} {year} ({first}–{last})", number=first.quarter.number, year=first.year,
                    first=month_name(first.month, language), last=month_name(last.month, language))
    return f"{period_label(first, language)} – {period_label(last, language)}"


def trend_months(first: Period, last: Period) -> tuple[Period, ...]:
    """The months the trend chart may show: the range, at least the twelve months up to its end
    and at most the last twenty-four (the chart leaves out the months before the range that
    precede any figures)."""
    count = min(max(len(months_between(first, last)), TREND_MONTHS), TREND_MONTHS_AT_MOST)
    return tuple(last.plus(offset) for offset in range(1 - count, 1))


def districts_of(centres: Sequence[CentreRow]) -> tuple[str, ...]:
    """The districts that have a centre, in Turkish alphabetical order."""
    return tuple(sorted({centre.district for centre in centres}, key=tr_sort_key))


def district_label(district: str, language: str) -> str:
    if district == OTHER_DISTRICTS:
        return t_in(language, "Other districts (report row)")
    return district or t_in(language, "District not given")


# ---------------------------------------------------------------------------- figures


def sums_by_district(source: CityInput, periods: Sequence[Period]) -> dict[str, dict[CellKey, int]]:
    """Each district's figures over ``periods``: the sum of its centres' sums."""
    members: dict[str, list[Mapping[CellKey, int]]] = {district: [] for district in districts_of(source.centres)}
    by_centre = sums_by_centre(source, periods)
    for centre in source.centres:
        members[centre.district].append(by_centre[centre.centre_id])
    return {district: add_up(values) for district, values in members.items()}


def sums_by_centre(source: CityInput, periods: Sequence[Period]) -> dict[str, dict[CellKey, int]]:
    """Each centre's figures over ``periods`` (worked out once per range and kept on ``source``)."""
    key = tuple(periods)
    cache = source.__dict__.setdefault("_sums_by_centre", {})
    summed = source.range_sums.get((periods[0], periods[-1])) if periods else None
    if summed is not None and key not in cache:
        cache[key] = {centre.centre_id: dict(summed.get(centre.centre_id, {})) for centre in source.centres}
    if key not in cache:
        cache[key] = {centre.centre_id: add_up(source.months.get(period, {}).get(centre.centre_id, {}) for period in periods)
                      for centre in source.centres}
    return cache[key]


def month_totals(source: CityInput) -> Mapping[Period, Mapping[str, int]]:
    """The city's total of each indicator in each month that holds figures, from the same months a
    year before to the range's end (as the store summed them, or summed once from ``months``)."""
    if source.month_totals is not None:
        return source.month_totals
    if "_month_totals" not in source.__dict__:
        totals: dict[Period, dict[str, int]] = {}
        for month in months_between(source.earlier[0], source.last):
            for values in source.months.get(month, {}).values():
                summed = totals.setdefault(month, {})
                for cell, value in values.items():
                    summed[cell.indicator] = summed.get(cell.indicator, 0) + value
        source.__dict__["_month_totals"] = totals
    return source.__dict__["_month_totals"]


def build_report(source: CityInput) -> CityReport:
    language, catalogue = source.language, source.catalogue
    now, before = _figures(source)
    districts = now.districts
    footnote = not_shown_footnote(language) if source.public else None
    label_now = range_label(source.first, source.last, language)
    label_before = range_label(source.earlier[0], source.earlier[-1], language)

    key = []
    for code in KEY_INDICATORS:
        indicator = _find(catalogue, code)
        if indicator is None:
            continue
        if before is None:
            note = t_in(language, "{period}: no figures", period=label_before)
        else:
            note = t_in(language, "{period}: {value} · change: {change}", period=label_before, value=cell_text(before[code], language),
                        change=change_text(now.city_total(code), before[code], language))
        key.append(KeyFigure(indicator.label(language), cell_text(now.city_total(code), language), note))

    trend, labels = _public_trend(source) if source.public else _trend_table(source)
    return CityReport(
        source=source,
        title=t_in(language, "City report"),
        subtitle=f"{source.unit} · {label_now}" if source.unit else label_now,
        status_lines=_status_lines(source),
        key_figures=tuple(key),
        overview=_overview(source, now, before, label_now, label_before, footnote),
        by_district=_by_district(source, now, districts, footnote),
        district_tables=tuple(_district_table(source, now, indicator, footnote)
                              for indicator in catalogue.active_indicators() if indicator.dimensions)
        + _other_district_tables(source, now, districts, footnote),
        by_centre=None if source.public else _by_centre(source),
        reporting=_reporting_tables(source),
        district_chart=_district_chart(source, now, districts, footnote),
        trend=trend,
        trend_labels=labels,
        violence=_violence_table(source, now, footnote),
        method_note=method_note.lines(source.edition, catalogue, source.issued_at, language) if source.public and source.edition else (),
        chart_districts=tuple(districts),
    )


def _figures(source: CityInput) -> tuple[PublishedCity, Mapping[str, Entry] | None]:
    """The figures of the range, and the city's total of every indicator over the same range a
    year before: exact, or as their public editions published them (none for a year before that
    holds no figures, or was never released)."""
    catalogue = source.catalogue
    codes = [indicator.code for indicator in catalogue.indicators]
    if source.public:
        if source.edition is None:
            raise ValueError("a public city report needs its public edition")
        earlier = source.released.get((source.earlier[0], source.earlier[-1]))
        before = public_city(catalogue, earlier) if earlier else None
        return public_city(catalogue, source.edition), ({code: before.city_total(code) for code in codes} if before else None)
    now = exact_city(catalogue, sums_by_district(source, source.periods), districts_of(source.centres))
    held = [totals for month, totals in month_totals(source).items() if month in source.earlier]
    return now, ({code: sum(totals.get(code, 0) for totals in held) for code in codes} if held else None)


def _find(catalogue: Catalogue, code: str) -> Indicator | None:
    return next((i for i in catalogue.active_indicators() if i.code == code), None)


def _status_lines(source: CityInput) -> tuple[str, ...]:
    language = source.language
    cells = [cell for (_, period), cell in source.reporting.items() if period in source.periods]
    expected = sum(1 for cell in cells if cell.expected)
    received = sum(1 for cell in cells if cell.expected and cell.received)
    on_time = sum(1 for cell in cells if cell.expected and cell.on_time)
    percent = round(100 * received / expected) if expected else 0
    first = t_in(language, "Reports received: {received} of the {expected} expected monthly reports ({percent}), {on_time} of them submitted on time.",
                 received=received, expected=expected, percent=_percent(percent, language), on_time=on_time)
    if source.public:
        when = date_time_label(source.issued_at, language) if source.issued_at else DASH
        return (first, method_note.summary_line(source.catalogue.sharing.k, language),
                t_in(language, "Every month of this period was approved at its centre; this public edition was released on {when}.", when=when))
    second = t_in(language, "For internal use: figures are exact, small ones included. Do not publish this version; print it with --public for that.")
    third = t_in(language, "A district's figure is the sum of its centres', the city's the sum of all; figures over several months are sums of the months. Months still in draft at a centre are included and may change.")
    return first, second, third


def _percent(value: int, language: str) -> str:
    return f"%{value}" if language == "tr" else f"{value}%"


def _footnote_if_hidden(rows: Sequence[Row], footnote: str | None) -> str | None:
    return footnote if footnote and any(value == NOT_SHOWN_SYMBOL for row in rows for value in row.values) else None


def _overview(source: CityInput, now: PublishedCity, before: Mapping[str, Entry] | None, label_now: str, label_before: str,
              footnote: str | None) -> ReportTable:
    language = source.language
    rows = []
    for indicator in source.catalogue.active_indicators():
        code = indicator.code
        if before is None:
            rows.append(Row(indicator.label(language), (entry_value(now.city_total(code)), DASH, DASH)))
        else:
            rows.append(Row(indicator.label(language), (entry_value(now.city_total(code)), entry_value(before[code]),
                                                        change_text(now.city_total(code), before[code], language))))
    note = None if before is not None else t_in(language, "The store holds no figures for the same months a year before.")
    return ReportTable("city_totals", t_in(language, "City totals"),
                       (t_in(language, "Indicator (report column)"), label_now, label_before, t_in(language, "Change from a year before")),
                       tuple(rows), sensitive=True, note=note, footnote=_footnote_if_hidden(rows, footnote))


def _city_row_label(language: str) -> str:
    return t_in(language, "City total (report row)")


def _by_district(source: CityInput, now: PublishedCity, districts: Sequence[str], footnote: str | None) -> ReportTable:
    language = source.language
    codes = [code for code in DISTRICT_INDICATORS if _find(source.catalogue, code) is not None]
    rows = [Row(district_label(district, language), tuple(entry_value(now.district_total(code, district)) for code in codes))
            for district in districts]
    rows.append(Row(_city_row_label(language), tuple(entry_value(now.city_total(code)) for code in codes), is_total=True))
    return ReportTable("by_district", t_in(language, "Key indicators by district"),
                       (t_in(language, "District (report column)"), *(source.catalogue.indicator(code).label(language) for code in codes)),
                       tuple(rows), sensitive=True, footnote=_footnote_if_hidden(rows, footnote))


def _option_label(catalogue: Catalogue, cell: CellKey, language: str) -> str:
    names = []
    for dimension_code, option_code in cell.options:
        option = catalogue.dimension(dimension_code).option(option_code)
        names.append(option.label(language) if option else option_code)
    return " / ".join(names)


def _district_table(source: CityInput, now: PublishedCity, indicator: Indicator, footnote: str | None) -> ReportTable:
    language, catalogue = source.language, source.catalogue
    table = now.table(indicator.code)
    rows = [Row(district_label(district, language), tuple(entry_value(entry) for entry in table.grid[index]))
            for index, district in enumerate(table.rows)]
    rows.append(Row(_city_row_label(language), tuple(entry_value(entry) for entry in table.grid[-1]), is_total=True))
    columns = (t_in(language, "District (report column)"), *(_option_label(catalogue, cell, language) for cell in table.cells),
               t_in(language, "Total (report row)"))
    description = indicator.descriptions.get(language) if indicator.descriptions else None
    return ReportTable(indicator.code, indicator.label(language), columns, tuple(rows), indicator.sensitive,
                       note=description, footnote=_footnote_if_hidden(rows, footnote))


def _other_district_tables(source: CityInput, now: PublishedCity, districts: Sequence[str], footnote: str | None) -> tuple[ReportTable, ...]:
    """Indicators without a breakdown that the key table leaves out, in one table."""
    language = source.language
    codes = [i.code for i in source.catalogue.active_indicators() if not i.dimensions and i.code not in DISTRICT_INDICATORS]
    if not codes:
        return ()
    rows = [Row(district_label(district, language), tuple(entry_value(now.district_total(code, district)) for code in codes))
            for district in districts]
    rows.append(Row(_city_row_label(language), tuple(entry_value(now.city_total(code)) for code in codes), is_total=True))
    return (ReportTable("other_indicators", t_in(language, "Other indicators by district"),
                        (t_in(language, "District (report column)"), *(source.catalogue.indicator(code).label(language) for code in codes)),
                        tuple(rows), sensitive=True, footnote=_footnote_if_hidden(rows, footnote)),)


def _centre_label(centre: CentreRow, language: str) -> str:
    return f"{centre.name} ({district_label(centre.district, language)})"


def _by_centre(source: CityInput) -> ReportTable | None:
    language, catalogue = source.language, source.catalogue
    codes = tuple(i.code for i in catalogue.active_indicators() if i.code in DISTRICT_INDICATORS)
    if not codes:
        return None
    sums = sums_by_centre(source, source.periods)
    rows = tuple(Row(_centre_label(centre, language), tuple(sum(v for c, v in sums[centre.centre_id].items() if c.indicator == code) for code in codes))
                 for centre in source.centres)
    return ReportTable("by_centre", t_in(language, "Figures by centre"),
                       (t_in(language, "Centre (report column)"), *(catalogue.indicator(code).label(language) for code in codes)),
                       rows, sensitive=True)


# ---------------------------------------------------------------------------- reporting


def reporting_code(kind: str, language: str) -> str:
    codes = {
        "on_time": t_in(language, "O (reporting code: submitted on time)"),
        "late": t_in(language, "L (reporting code: submitted late)"),
        "draft": t_in(language, "D (reporting code: draft received)"),
        "missing": DASH,
        "awaited": "…",
        "none": "",
    }
    return codes[kind]


def reporting_legend(language: str) -> str:
    return t_in(language, "{on_time}: submitted on time · {late}: submitted after the deadline · {draft}: figures received, the month not submitted yet · {missing}: not received · {awaited}: not received, not due yet · empty: the centre had not joined yet.",
                on_time=reporting_code("on_time", language), late=reporting_code("late", language), draft=reporting_code("draft", language),
                missing=DASH, awaited="…")


def _reporting_tables(source: CityInput) -> tuple[ReportTable, ...]:
    """The reporting matrix, twelve months to a table: a row per centre, then the city's received
    and expected reports."""
    language = source.language
    periods = source.periods
    chunks = [periods[start:start + MATRIX_MONTHS] for start in range(0, len(periods), MATRIX_MONTHS)]
    tables = []
    for number, chunk in enumerate(chunks, start=1):
        rows = []
        for centre in source.centres:
            cells = [source.reporting[(centre.centre_id, period)] for period in chunk]
            rows.append(Row(centre.name, (*(reporting_code(cell.kind, language) for cell in cells),
                                          f"{_count(cells, 'received')}/{_count(cells, 'expected')}", str(_count(cells, "on_time")))))
        by_month = [[source.reporting[(centre.centre_id, period)] for centre in source.centres] for period in chunk]
        every = [cell for cells in by_month for cell in cells]
        rows.append(Row(t_in(language, "City: received (reporting row)"),
                        (*(str(_count(cells, "received")) for cells in by_month), str(_count(every, "received")), str(_count(every, "on_time"))),
                        is_total=True))
        rows.append(Row(t_in(language, "City: expected (reporting row)"),
                        (*(str(_count(cells, "expected")) for cells in by_month), str(_count(every, "expected")), ""), is_total=True))
        title = t_in(language, "Reporting by centre")
        if len(chunks) > 1:
            title = f"{title} ({period_label(chunk[0], language)} – {period_label(chunk[-1], language)})"
        columns = (t_in(language, "Centre (report column)"), *(str(period) for period in chunk),
                   t_in(language, "Received (reporting column)"), t_in(language, "On time (reporting column)"))
        tables.append(ReportTable(f"reporting_{number}" if len(chunks) > 1 else "reporting", title, columns, tuple(rows),
                                  sensitive=False, note=reporting_legend(language)))
    return tuple(tables)


def _count(cells: Sequence[ReportingMonth], what: str) -> int:
    """How many of the expected months were expected, received, or on time."""
    return sum(1 for cell in cells if cell.expected and (what == "expected" or getattr(cell, what)))


# ---------------------------------------------------------------------------- charts


def _district_chart(source: CityInput, now: PublishedCity, districts: Sequence[str], footnote: str | None) -> ReportTable | None:
    indicator = _find(source.catalogue, TREND)
    if indicator is None:
        return None
    language = source.language
    rows = tuple(Row(district_label(district, language), (entry_value(now.district_total(TREND, district)),)) for district in districts)
    title = t_in(language, "{indicator} by district, {period}", indicator=indicator.label(language),
                 period=range_label(source.first, source.last, language))
    return ReportTable("chart_districts", title, (t_in(language, "District (report column)"), indicator.label(language)), rows, True,
                       footnote=_footnote_if_hidden(rows, footnote))


def _violence_table(source: CityInput, now: PublishedCity, footnote: str | None) -> ReportTable | None:
    indicator = _find(source.catalogue, VIOLENCE)
    if indicator is None:
        return None
    language = source.language
    table = now.table(VIOLENCE)
    rows = tuple(Row(_option_label(source.catalogue, cell, language), (entry_value(table.city_cell(cell)),)) for cell in table.cells)
    title = t_in(language, "Forms of violence reported by new applicants in the city, {period}", period=range_label(source.first, source.last, language))
    return ReportTable("chart_violence", title, (indicator.dimensions[0].label(language), range_label(source.first, source.last, language)),
                       rows, True, note=t_in(language, "A woman may report several forms of violence."), footnote=_footnote_if_hidden(rows, footnote))


def _trend_table(source: CityInput) -> tuple[ReportTable | None, tuple[str, ...]]:
    """The city's new applicants month by month (internal reports)."""
    indicator = _find(source.catalogue, TREND)
    if indicator is None:
        return None, ()
    language = source.language
    months = trend_months(source.first, source.last)
    totals = month_totals(source)
    while months[0] < source.first and months[0] not in totals:
        months = months[1:]  # months before any figures arrived: no bar rather than a zero
    entries = [totals[month].get(TREND, 0) if month in totals else 0 for month in months]
    rows = tuple(Row(period_label(month, language), (entry,)) for month, entry in zip(months, entries, strict=True))
    title = t_in(language, "{indicator} in the city, month by month", indicator=indicator.label(language))
    table = ReportTable("chart_trend", title, (t_in(language, "Month (report column)"), indicator.label(language)), rows, True)
    return table, tuple(f"{short_month_name(month.month, language)}\n{month.year}" for month in months)


def _public_trend(source: CityInput) -> tuple[ReportTable | None, tuple[str, ...]]:
    """The city's new applicants in each released edition of the same length up to this one
    (published figures only), oldest first."""
    indicator = _find(source.catalogue, TREND)
    if indicator is None or source.edition is None:
        return None, ()
    language = source.language
    editions = [*sorted(source.released.values(), key=lambda e: e.first), source.edition]
    editions = [e for e in editions if len(months_between(e.first, e.last)) == len(source.periods) and e.first <= source.first]
    rows = tuple(Row(range_label(e.first, e.last, language), (entry_value(_city_value(e)),)) for e in editions)
    title = t_in(language, "{indicator} in the city, as published for each period", indicator=indicator.label(language))
    table = ReportTable("chart_trend", title, (t_in(language, "Period (report column)"), indicator.label(language)), rows, True,
                        note=t_in(language, "Periods not released are not shown."))
    return table, tuple(_short_range_label(e.first, e.last, language) for e in editions)


def _city_value(edition: PublicEdition) -> Entry:
    value = edition.value(CITY, TREND)
    return NOT_SHOWN if value is None else value


def _short_range_label(first: Period, last: Period, language: str) -> str:
    if first == last:
        return f"{short_month_name(first.month, language)}\n{first.year}"
    if last == first.plus(11):
        return str(first.year)
    return t_in(language, "Q{number}\n{year}", number=first.quarter.number, year=first.year)


# ---------------------------------------------------------------------------- the PDF


def page_info(report: CityReport) -> pdf.PageInfo:
    source, language = report.source, report.language
    period = range_label(source.first, source.last, language)
    return pdf.PageInfo(
        title=f"{report.title} · {period}",
        header_left=source.unit,
        header_right=t_in(language, "City report · {period}", period=period),
        footer_notice=t_in(language, "This document holds no personal data. Keep it as an official document."),
        footer_generated=t_in(language, "Generated on {when} by Caseworker {version}.",
                              when=date_time_label(source.generated_at, language), version=source.version),
        page_label=lambda number, total: t_in(language, "Page {number} / {total}", number=number, total=total),
        language=language,
        subject=report.title,
        creator=f"Caseworker {source.version}",
    )


def _values(table: ReportTable) -> list[int | None]:
    return [None if value == NOT_SHOWN_SYMBOL else int(value) for value in table.column(table.columns[1])]


def _chart_or_note(chart: Flowable, values: Sequence[int | None], language: str) -> Flowable:
    """The chart, unless the public edition publishes none of the figures it would draw."""
    if any(value is None for value in values) and not any(values):
        return pdf.paragraph(t_in(language, "The public version leaves this chart out: none of its figures is published."), pdf.styles().body)
    return chart


def column_parts(table: ReportTable, at_most: int = VALUE_COLUMNS_AT_MOST, total_column: bool = False) -> list[ReportTable]:
    """A wide table as several tables of at most ``at_most`` value columns each, every one with
    the row labels (and, with ``total_column``, the table's last column, its total, repeated);
    the title says which part it is."""
    kept = 1 if total_column else 0
    values = len(table.columns) - 1 - kept
    if values + kept <= at_most:
        return [table]
    size_at_most = max(1, at_most - kept)
    count = -(-values // size_at_most)
    size = -(-values // count)
    parts = []
    for number, start in enumerate(range(0, values, size), start=1):
        stop = min(start + size, values)
        rows = tuple(Row(row.label, (*row.values[start:stop], *row.values[len(row.values) - kept:]), row.is_total) for row in table.rows)
        columns = (table.columns[0], *table.columns[1 + start:1 + stop], *table.columns[len(table.columns) - kept:])
        parts.append(ReportTable(table.name, f"{table.title} ({number}/{count})", columns, rows,
                                 table.sensitive, table.note if number == 1 else None, table.footnote if number == count else None))
    return parts


def _untitled(table: ReportTable) -> ReportTable:
    return ReportTable(table.name, "", table.columns, table.rows, table.sensitive, table.note, table.footnote)


MATRIX_FILL = {
    "on_time": colors.HexColor("#d9eedd"),
    "late": colors.HexColor("#fff0c2"),
    "draft": colors.HexColor("#f3e9f0"),
    "missing": colors.HexColor("#f6d3d3"),
    "awaited": colors.HexColor("#eeeeee"),
}


def _matrix(table: ReportTable, source: CityInput, periods: Sequence[Period], source_line: str) -> list[Flowable]:
    """The reporting matrix: a narrow coloured column per month, then the counts."""
    s = pdf.styles()
    language = source.language
    month_width, count_width = 7.8 * mm, 16 * mm
    label_width = pdf.CONTENT_WIDTH - month_width * len(periods) - 2 * count_width
    small_head = _matrix_styles()
    header = [pdf.paragraph(table.columns[0], small_head[0])]
    header += [pdf.MeasuredParagraph(f"{pdf.escape(short_month_name(period.month, language))}<br/>{period.year % 100:02d}", small_head[1])
               for period in periods]
    header += [pdf.paragraph(text, small_head[2]) for text in table.columns[-2:]]
    body = [[pdf.label_cell(row.label, s.cell_compact_bold if row.is_total else s.cell_compact, label_width - 6), *row.values] for row in table.rows]
    grid = Table([header, *body], colWidths=[label_width, *([month_width] * len(periods)), count_width, count_width], repeatRows=1, hAlign="LEFT")
    totals = len(table.rows) - 1  # the first of the two city rows
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 7.5, 8.6),
        ("BACKGROUND", (0, 0), (-1, 0), pdf.ACCENT),
        ("ALIGN", (1, 1), (-1, -1), "CENTER"),
        ("ALIGN", (-2, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, pdf.GRID),
        ("GRID", (1, 1), (len(periods), totals - 1), 0.5, colors.white),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (1, 0), (len(periods), -1), 1),
        ("RIGHTPADDING", (1, 0), (len(periods), -1), 1),
        ("FONT", (0, totals), (-1, -1), fonts.BOLD, 7.5, 8.6),
        ("LINEABOVE", (0, totals), (-1, totals), 0.8, colors.black),
    ]
    for row_index, centre in enumerate(source.centres, start=1):
        for column, period in enumerate(periods, start=1):
            fill = MATRIX_FILL.get(source.reporting[(centre.centre_id, period)].kind)
            if fill is not None:
                commands.append(("BACKGROUND", (column, row_index), (column, row_index), fill))
    grid.setStyle(TableStyle(commands))
    return [pdf.paragraph(table.title, s.subheading), pdf.paragraph(table.note or "", s.small), Spacer(1, 2), grid,
            pdf.paragraph(source_line, s.source), Spacer(1, 6)]


@lru_cache(maxsize=1)
def _matrix_styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    head = ParagraphStyle("matrix_head", parent=pdf.styles().head, fontSize=7, leading=8.5)
    return head, ParagraphStyle("matrix_head_center", parent=head, alignment=TA_CENTER), ParagraphStyle("matrix_head_right", parent=head, alignment=TA_RIGHT)


# ---------------------------------------------------------------------------- layout


def source_line(report: CityReport) -> str:
    """The source and method line printed under every table of figures."""
    source, language = report.source, report.language
    if source.public:
        when = date_time_label(source.issued_at, language) if source.issued_at else DASH
        return t_in(language, "Source: public edition of {period}, released {when}, from the centres' approved monthly figures. Method: each figure perturbed, "
                              "small figures not shown; see the method note.", period=range_label(source.first, source.last, language), when=when)
    return t_in(language, "Source: the centres' monthly figures as received by {unit}, {when}. Method: sums over centres and months, exact; months in draft included.",
                unit=source.unit or t_in(language, "the coordinator"), when=date_time_label(source.generated_at, language))


def reporting_source_line(report: CityReport) -> str:
    return t_in(report.language, "Source: the monthly bundles received from the centres, {when}. A month counts as on time when it was submitted by the deadline.",
                when=date_time_label(report.source.generated_at, report.language))


FITS = pdf.LANDSCAPE_HEIGHT - 12  # what a block may measure to stand beside others (the measure is a little short)


@dataclass
class _Block:
    """What stands side by side on a landscape page: a table (or chart) with its title and lines."""

    key: str
    title: str
    flowables: list[Flowable]
    width: float
    height: float
    level: int = 1
    entries: tuple[tuple[str, str, int], ...] = ()
    """The contents lines of the tables a stack holds (its own line when empty)."""

    @property
    def contents(self) -> tuple[tuple[str, str, int], ...]:
        return self.entries or ((self.key, self.title, self.level),)


STACK_GAP = 10


def _stack(blocks: Sequence[_Block]) -> list[_Block]:
    """Short blocks (a public table of few rows, a small city) one under another, in the first
    stack they fit, so that a landscape page holds columns of them rather than one short row."""
    stacks: list[list[_Block]] = []
    for block in blocks:
        for stack in stacks:
            if sum(b.height + STACK_GAP for b in stack) + block.height <= FITS:
                stack.append(block)
                break
        else:
            stacks.append([block])
    merged = []
    for stack in stacks:
        if len(stack) == 1:
            merged.append(stack[0])
            continue
        flowables: list[Flowable] = []
        for index, block in enumerate(stack):
            flowables += ([Spacer(1, STACK_GAP)] if index else []) + block.flowables
        merged.append(_Block(stack[0].key, stack[0].title, flowables, max(b.width for b in stack),
                             sum(b.height for b in stack) + STACK_GAP * (len(stack) - 1), stack[0].level,
                             tuple(entry for b in stack for entry in b.contents)))
    return merged


def _table_block(table: ReportTable, language: str, source: str, marks: pdf.Marks, widths: pdf.Widths | None = None, level: int = 1) -> _Block:
    s = pdf.styles()
    widths = widths or pdf.natural_widths(table, language, label_at_most=200 if level == 0 else 130)
    grid = pdf.compact_table(table, widths, language)
    width = widths.total
    title = marks.heading(f"table-{table.name}-{table.title}", table.title, s.table_title, level=1)
    parts: list[Flowable] = [title]
    if table.note:
        parts.append(pdf.paragraph(table.note, s.small))
    parts.append(grid)
    if table.footnote:
        parts.append(pdf.paragraph(table.footnote, s.footnote))
    parts.append(pdf.paragraph(source, s.source))
    height = sum(part.wrap(width, pdf.LANDSCAPE_HEIGHT)[1] + part.getSpaceBefore() + part.getSpaceAfter() for part in parts)
    return _Block(f"table-{table.name}-{table.title}", table.title, parts, width, height, level)


def _district_blocks(report: CityReport, marks: pdf.Marks, source: str) -> list[_Block]:
    """Every district table as blocks no wider than a landscape page: a wider table is cut into
    column groups, each repeating the row labels and the total column."""
    language = report.language
    blocks = []
    for table in report.district_tables:
        widths = pdf.natural_widths(table, language)
        total_column = table.name != "other_indicators"
        room = int((pdf.LANDSCAPE_WIDTH - widths.label) // max(widths.values, default=1))
        for part in column_parts(table, at_most=max(room, 2), total_column=total_column):
            blocks.append(_table_block(part, language, source, marks, widths if part is table else None))
    return blocks


def _pack(blocks: Sequence[_Block], width: float = pdf.LANDSCAPE_WIDTH, gap: float = 16) -> list[list[_Block]]:
    """Blocks in rows across a landscape page, each into the first row it fits (first fit), so
    that narrow tables fill the room wide ones leave."""
    rows: list[list[_Block]] = []
    for block in blocks:
        for row in rows:
            if sum(b.width for b in row) + gap * len(row) + block.width <= width and block.height <= FITS:
                row.append(block)
                break
        else:
            rows.append([block])
    return rows


def _row_flowables(row: Sequence[_Block], gap: float = 16) -> list[Flowable]:
    if len(row) == 1 and row[0].height > FITS:
        return list(row[0].flowables)  # taller than a page: it breaks by rows, its header repeated
    return [pdf.side_by_side([block.flowables for block in row], [block.width for block in row], gap)]


def _chart_parts(table: ReportTable | None, chart: Flowable | None, language: str, marks: pdf.Marks, key: str) -> list[Flowable]:
    if table is None or chart is None:
        return []
    s = pdf.styles()
    return [marks.heading(key, table.title, s.heading),
            *([pdf.paragraph(table.note, s.small)] if table.note else []),
            _chart_or_note(chart, _values(table), language),
            *([pdf.paragraph(table.footnote, s.footnote)] if table.footnote else [])]


def story(report: CityReport, marks: pdf.Marks) -> list[Flowable]:
    s = pdf.styles()
    language, source = report.language, report.source
    symbol = NOT_SHOWN_SYMBOL
    line = source_line(report)
    parts: list[Flowable] = [
        marks.heading("summary", report.title, s.title),
        pdf.paragraph(report.subtitle, s.subtitle),
        pdf.callout(report.status_lines, warning=report.incomplete),
        Spacer(1, 6),
    ]
    if report.key_figures:
        parts += [pdf.key_figures(report.key_figures), Spacer(1, 2)]
    if report.district_chart is not None:
        table = report.district_chart
        tiles = {district: value for district, value in zip(report.chart_districts, _values(table), strict=True)}
        parts += [pdf.paragraph(table.title, s.heading),
                  TileMap(tiles, symbol, language, {"hidden": t_in(language, "not published (tile map legend)"),
                                                    "no_centre": t_in(language, "no centre (tile map legend)")})]
        if table.footnote:
            parts.append(pdf.paragraph(table.footnote, s.footnote))
    if report.trend is not None:
        table = report.trend
        parts += [KeepTogether(_chart_parts(table, pdf.vertical_bars(list(report.trend_labels), _values(table), symbol, height=140, language=language),
                                            language, marks, "trend"))]

    contents_at = len(parts) + 1
    parts += [PageBreak(), marks.heading("totals", report.overview.title, s.heading)]
    parts += pdf.table_flowables(_untitled(report.overview), label_share=0.48, language=language, source=line)
    if report.violence is not None:
        table = report.violence
        parts.append(KeepTogether(_chart_parts(table, pdf.horizontal_bars([row.label for row in table.rows], _values(table), symbol, bar_height=11.5, language=language),
                                               language, marks, "violence")))

    parts += pdf.landscape_pages()
    by_district = _table_block(report.by_district, language, line, marks)
    chart_width = pdf.LANDSCAPE_WIDTH - by_district.width - 24
    first_row: list[Flowable]
    if report.district_chart is not None and chart_width > 200 and by_district.height <= FITS:
        table = report.district_chart
        bar_height = min(16.0, max(9.0, (by_district.height - 60) / max(len(table.rows), 1)))
        chart = _chart_parts(table, pdf.horizontal_bars([row.label for row in table.rows], _values(table), symbol, width=chart_width,
                                                        bar_height=bar_height, language=language), language, marks, "chart-districts")
        first_row = [pdf.side_by_side([by_district.flowables, chart], [by_district.width, chart_width], 24)]
    else:
        first_row = _row_flowables([by_district])
    parts += [marks.heading("districts", t_in(language, "Figures by district"), s.heading), *first_row]
    blocks = _district_blocks(report, marks, line)
    if report.by_centre is not None:
        blocks.append(_table_block(report.by_centre, language, line, marks, level=0))
    rows = _pack(_stack(blocks))
    for row in rows:
        parts += _row_flowables(row)

    parts += pdf.portrait_pages()
    periods = source.periods
    for index, table in enumerate(report.reporting):
        if index == 0:
            parts.append(marks.heading("reporting", t_in(language, "Reporting"), s.heading))
        parts += _matrix(table, source, periods[index * MATRIX_MONTHS:(index + 1) * MATRIX_MONTHS], reporting_source_line(report))
    if report.method_note:
        parts += method_note.flowables(report.method_note, language, marks)

    entries = _contents_entries(report, rows)
    parts[contents_at:contents_at] = [pdf.paragraph(t_in(language, "Contents"), s.heading), marks.contents(entries), Spacer(1, 4)]
    return parts


def _contents_entries(report: CityReport, rows: Sequence[Sequence[_Block]]) -> list[tuple[str, str, int]]:
    language = report.language
    entries = [("summary", t_in(language, "Summary: headline figures, tile map and trend"), 0), ("totals", report.overview.title, 0)]
    if report.violence is not None:
        entries.append(("violence", report.violence.title, 1))
    entries.append(("districts", t_in(language, "Figures by district"), 0))
    entries.append((f"table-{report.by_district.name}-{report.by_district.title}", report.by_district.title, 1))
    entries += [entry for row in rows for block in row for entry in block.contents]
    if report.reporting:
        entries.append(("reporting", t_in(language, "Reporting"), 0))
    if report.method_note:
        entries.append(("method", t_in(language, "Method note"), 0))
    return entries


def render_report(report: CityReport) -> pdf.RenderedPdf:
    marks = pdf.Marks()
    return pdf.render(story(report, marks), page_info(report), marks)
