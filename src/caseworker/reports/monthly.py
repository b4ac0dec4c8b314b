"""The centre's monthly summary: what a supervisor prints and files for each month.

Contents, in the report's language (Turkish by default): the centre, its district and the
month; the month's status (draft, reopened, or submitted by whom and when); key figures; an
overview of every indicator against the previous month and the same month a year before; two
charts (forms of violence this month, new applicants over the last twelve months); one table
per indicator with a breakdown; the checks that fail and the unusual figures.

``build_summary`` turns the month's figures into plain data (``MonthlySummary``: its tables can
be written as CSV), ``render_summary`` lays that out as a PDF on the shared page template.

A public summary (``public=True``) shows the month's public edition and nothing else: its
figures (``tables.public_month``), for the previous month and the same month a year before the
figures of their own public editions where they were released (``..`` where not), no checks,
outlier hints or submitter, and the method note (``method_note``, docs/disclosure.md). It is
made without the month's exact figures: the use case does not pass them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from reportlab.platypus import Flowable, KeepTogether, Spacer

from caseworker.domain.catalogue import Catalogue, Indicator
from caseworker.domain.counts import CellKey
from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.domain.periods import Period
from caseworker.errors import NotFound
from caseworker.i18n import t_in
from caseworker.reports import method_note, pdf
from caseworker.reports.numbers import cell_text
from caseworker.reports.pdf import KeyFigure
from caseworker.reports.tables import (
    DASH,
    NOT_SHOWN_SYMBOL,
    PublishedMonth,
    ReportTable,
    Row,
    change_text,
    date_time_label,
    entry_value,
    exact_month,
    layout_cells,
    not_shown_footnote,
    period_label,
    public_month,
    short_month_name,
)
from caseworker.stats.publication import PublicEdition
from caseworker.stats.outliers import OutlierHint
from caseworker.stats.validation import RuleResult

KEY_INDICATORS = ("NEW_APPLICANTS", "RETURNING_CLIENTS", "SESSIONS", "AWARENESS_EVENTS")
VIOLENCE = "VIOLENCE_TYPE"
TREND = "NEW_APPLICANTS"
TREND_MONTHS = 12


@dataclass(frozen=True)
class MonthlyInput:
    """Everything the summary shows, gathered by the use case (``app.reports``)."""

    catalogue: Catalogue
    centre: str
    district: str
    period: Period
    months: Mapping[Period, Mapping[CellKey, int]]
    status: str
    status_by: str | None
    status_at: str | None
    reopen_reason: str | None
    problems: Sequence[RuleResult]
    outliers: Sequence[OutlierHint]
    language: str
    public: bool
    generated_at: datetime
    version: str
    edition: PublicEdition | None = None
    released: Mapping[Period, PublicEdition] = field(default_factory=dict)
    issued_at: datetime | None = None


@dataclass(frozen=True)
class MonthlySummary:
    source: MonthlyInput
    title: str
    subtitle: str
    status_lines: tuple[str, ...]
    key_figures: tuple[KeyFigure, ...]
    overview: ReportTable
    indicator_tables: tuple[ReportTable, ...]
    violence: ReportTable | None
    trend: ReportTable | None
    warnings: tuple[str, ...]
    method_note: tuple[str, ...] = ()

    @property
    def tables(self) -> tuple[ReportTable, ...]:
        """Every table of the summary in report order (what ``--csv`` writes)."""
        charts = tuple(table for table in (self.violence, self.trend) if table is not None)
        return (self.overview, *self.indicator_tables, *charts)

    @property
    def language(self) -> str:
        return self.source.language


def place_label(district: str, language: str) -> str:
    """``Konak, İzmir`` for a district of İzmir, else the district as given."""
    if district in IZMIR_DISTRICTS:
        return t_in(language, "{district}, İzmir", district=district)
    return district


def _status_lines(source: MonthlyInput) -> tuple[str, ...]:
    language = source.language
    if source.public:
        when = date_time_label(source.issued_at, language) if source.issued_at else DASH
        return (t_in(language, "Status: approved; this public edition was released on {when}.", when=when),
                method_note.summary_line(source.catalogue.sharing.k, language))
    if source.status == "submitted":
        when = date_time_label(datetime.fromisoformat(source.status_at), language) if source.status_at else DASH
        if not source.status_by:
            first = t_in(language, "Status: submitted on {when}.", when=when)
        else:
            first = t_in(language, "Status: submitted by {user} on {when}.", user=source.status_by, when=when)
    elif source.status == "reopened":
        reason = _reason(source.reopen_reason, language)
        first = t_in(language, "Status: draft, reopened for {reason}; the figures may still change.", reason=reason)
    else:
        first = t_in(language, "Status: draft, not submitted yet; the figures may still change.")
    second = t_in(language, "For internal use: figures are exact, small ones included. Do not publish this version; print it with --public for that.")
    return first, second


def _reason(code: str | None, language: str) -> str:
    labels = {
        "correction": t_in(language, "correction of an error"),
        "late_data": t_in(language, "late figures"),
        "catalogue_change": t_in(language, "change of the catalogue"),
        "other": t_in(language, "other reason"),
    }
    return labels.get(code or "other", labels["other"])


def _cell_label(catalogue: Catalogue, cell: CellKey, language: str) -> str:
    names = []
    for dimension_code, option_code in cell.options:
        option = catalogue.dimension(dimension_code).option(option_code)
        names.append(option.label(language) if option else option_code)
    return " / ".join(names)


def build_summary(source: MonthlyInput) -> MonthlySummary:
    language, catalogue, period = source.language, source.catalogue, source.period
    compared = (period, period.previous(), period.same_month_last_year())
    shown = (*compared, *trend_months(period))
    published = {month: _published(source, month) for month in dict.fromkeys(shown)}
    now, before, year_ago = (published[month] for month in compared)
    labels = tuple(period_label(month, language) for month in compared)
    footnote = not_shown_footnote(language) if source.public else None

    key = []
    for code in KEY_INDICATORS:
        indicator = _find(catalogue, code)
        if indicator is not None:
            note = t_in(language, "previous month: {value} · change: {change}",
                        value=cell_text(before.total(code), language), change=change_text(now.total(code), before.total(code), language))
            key.append(KeyFigure(indicator.label(language), cell_text(now.total(code), language), note))

    overview_rows = []
    for indicator in catalogue.active_indicators():
        code = indicator.code
        overview_rows.append(Row(indicator.label(language), (
            entry_value(now.total(code)), entry_value(before.total(code)), change_text(now.total(code), before.total(code), language),
            entry_value(year_ago.total(code)), change_text(now.total(code), year_ago.total(code), language),
        )))
    overview = ReportTable(
        "overview", t_in(language, "Overview of indicators"),
        (t_in(language, "Indicator (report column)"), labels[0], labels[1], t_in(language, "Change on the previous month"), labels[2],
         t_in(language, "Change from a year before")),
        tuple(overview_rows), sensitive=True, footnote=_footnote_if_hidden(overview_rows, footnote),
    )

    indicator_tables = tuple(
        _indicator_table(catalogue, indicator, source, published, compared, labels, footnote)
        for indicator in catalogue.active_indicators() if indicator.dimensions
    )
    violence = _violence_table(catalogue, now, source, labels[0], footnote)
    trend = _trend_table(catalogue, source, published, footnote)
    return MonthlySummary(
        source=source,
        title=t_in(language, "Monthly statistics summary"),
        subtitle=f"{source.centre} · {place_label(source.district, language)} · {labels[0]}" if source.district else f"{source.centre} · {labels[0]}",
        status_lines=_status_lines(source),
        key_figures=tuple(key),
        overview=overview,
        indicator_tables=indicator_tables,
        violence=violence,
        trend=trend,
        warnings=_warnings(source),
        method_note=method_note.lines(source.edition, catalogue, source.issued_at, language) if source.public and source.edition else (),
    )


def _published(source: MonthlyInput, month: Period) -> PublishedMonth:
    """A month's figures: exact, or as its public edition published them (none if never released)."""
    if not source.public:
        return exact_month(source.catalogue, source.months.get(month, {}))
    edition = source.edition if month == source.period else source.released.get(month)
    return public_month(source.catalogue, edition, source.centre)


def trend_months(period: Period) -> tuple[Period, ...]:
    """The twelve months of the trend chart, ending with ``period``."""
    return tuple(period.plus(offset) for offset in range(1 - TREND_MONTHS, 1))


def _find(catalogue: Catalogue, code: str) -> Indicator | None:
    return next((i for i in catalogue.active_indicators() if i.code == code), None)


def _footnote_if_hidden(rows: Sequence[Row], footnote: str | None) -> str | None:
    return footnote if footnote and any(value == NOT_SHOWN_SYMBOL for row in rows for value in row.values) else None


def _indicator_table(catalogue: Catalogue, indicator: Indicator, source: MonthlyInput, published: Mapping[Period, PublishedMonth],
                     compared: Sequence[Period], labels: Sequence[str], footnote: str | None) -> ReportTable:
    language = source.language
    cells = layout_cells(catalogue, indicator, *(source.months.get(month, {}) for month in compared))
    rows = [Row(_cell_label(catalogue, cell, language), tuple(entry_value(published[month].cell(cell)) for month in compared)) for cell in cells]
    rows.append(Row(t_in(language, "Total (report row)"), tuple(entry_value(published[month].total(indicator.code)) for month in compared), is_total=True))
    heading = " / ".join(dimension.label(language) for dimension in indicator.dimensions)
    description = indicator.descriptions.get(language) if indicator.descriptions else None
    return ReportTable(indicator.code, indicator.label(language), (heading, *labels), tuple(rows), indicator.sensitive,
                       note=description, footnote=_footnote_if_hidden(rows, footnote))


def _violence_table(catalogue: Catalogue, now: PublishedMonth, source: MonthlyInput, label: str, footnote: str | None) -> ReportTable | None:
    indicator = _find(catalogue, VIOLENCE)
    if indicator is None:
        return None
    language = source.language
    rows = tuple(Row(_cell_label(catalogue, cell, language), (entry_value(now.cell(cell)),))
                 for cell in layout_cells(catalogue, indicator, source.months.get(source.period, {})))
    title = t_in(language, "Forms of violence reported by new applicants, {month}", month=label)
    return ReportTable("chart_violence", title, (indicator.dimensions[0].label(language) if indicator.dimensions else "", label), rows,
                       True, note=t_in(language, "A woman may report several forms of violence."), footnote=_footnote_if_hidden(rows, footnote))


def _trend_table(catalogue: Catalogue, source: MonthlyInput, published: Mapping[Period, PublishedMonth], footnote: str | None) -> ReportTable | None:
    indicator = _find(catalogue, TREND)
    if indicator is None:
        return None
    language = source.language
    rows = tuple(Row(period_label(month, language), (entry_value(published[month].total(TREND)),)) for month in trend_months(source.period))
    title = t_in(language, "{indicator}, the last twelve months", indicator=indicator.label(language))
    return ReportTable("chart_trend", title, (t_in(language, "Month (report column)"), indicator.label(language)), rows, True,
                       footnote=_footnote_if_hidden(rows, footnote))


def _warnings(source: MonthlyInput) -> tuple[str, ...]:
    language = source.language
    if source.public:
        return ()
    importance = {
        "high": t_in(language, "Important (failed check)"),
        "medium": t_in(language, "Check (failed check)"),
        "low": t_in(language, "Note (failed check)"),
    }
    lines = []
    for result in source.problems:
        rule = result.rule
        lines.append(t_in(language, "{importance}: {rule} (here {left} {operator} {right} does not hold)",
                          importance=importance.get(rule.importance, rule.importance), rule=rule.label(language),
                          left=result.left, operator=rule.operator, right=result.right))
    for hint in source.outliers:
        lines.append(t_in(language, "Unusually high: {subject} is {value}, where the previous months give about {typical}.",
                          subject=_subject_label(source.catalogue, hint.subject, language), value=hint.value, typical=round(hint.typical)))
    return tuple(lines)


def _subject_label(catalogue: Catalogue, subject: str, language: str) -> str:
    """An outlier's subject (``VIOLENCE_TYPE[violence=physical]``) in words."""
    code, _, rest = subject.partition("[")
    indicator = next((i for i in catalogue.indicators if i.code == code), None)
    if indicator is None:
        return subject
    if not rest:
        return indicator.label(language)
    pairs = tuple(tuple(part.split("=", 1)) for part in rest.rstrip("]").split(","))
    try:
        return f"{indicator.label(language)}: {_cell_label(catalogue, CellKey(code, pairs), language)}"  # type: ignore[arg-type]
    except (ValueError, NotFound):
        return subject


# ---------------------------------------------------------------------------- the PDF


def page_info(summary: MonthlySummary) -> pdf.PageInfo:
    source, language = summary.source, summary.language
    month = period_label(source.period, language)
    return pdf.PageInfo(
        title=f"{summary.title} · {source.centre} · {month}",
        header_left=source.centre,
        header_right=t_in(language, "Monthly summary · {month}", month=month),
        footer_notice=t_in(language, "This document holds no personal data. Keep it as an official document."),
        footer_generated=t_in(language, "Generated on {when} by Caseworker {version}.",
                              when=date_time_label(source.generated_at, language), version=source.version),
        page_label=lambda number, total: t_in(language, "Page {number} / {total}", number=number, total=total),
        language=language,
        subject=summary.title,
        creator=f"Caseworker {source.version}",
    )


def story(summary: MonthlySummary) -> list[Flowable]:
    s = pdf.styles()
    language = summary.language
    parts: list[Flowable] = [
        pdf.paragraph(summary.title, s.title),
        pdf.paragraph(summary.subtitle, s.subtitle),
        pdf.callout(summary.status_lines, warning=summary.source.status != "submitted"),
        Spacer(1, 8),
    ]
    if summary.key_figures:
        parts.append(pdf.key_figures(summary.key_figures))
    parts.append(pdf.paragraph(t_in(language, "Overview of indicators"), s.heading))
    parts += pdf.table_flowables(_untitled(summary.overview), label_share=0.36, language=language)
    symbol = NOT_SHOWN_SYMBOL
    if summary.violence is not None:
        table = summary.violence
        values = [None if value == symbol else int(value) for value in table.column(table.columns[1])]
        parts.append(KeepTogether([
            pdf.paragraph(table.title, s.heading),
            pdf.paragraph(table.note or "", s.small),
            _chart_or_note(pdf.horizontal_bars([row.label for row in table.rows], values, symbol, language=language), values, language),
            *([pdf.paragraph(table.footnote, s.footnote)] if table.footnote else []),
        ]))
    if summary.trend is not None:
        table = summary.trend
        months = trend_months(summary.source.period)
        values = [None if value == symbol else int(value) for value in table.column(table.columns[1])]
        labels = [f"{short_month_name(month.month, language)}\n{month.year}" for month in months]
        parts.append(KeepTogether([
            pdf.paragraph(table.title, s.heading),
            _chart_or_note(pdf.vertical_bars(labels, values, symbol, language=language), values, language),
            *([pdf.paragraph(table.footnote, s.footnote)] if table.footnote else []),
        ]))
    parts.append(pdf.paragraph(t_in(language, "Indicators in detail"), s.heading))
    for table in summary.indicator_tables:
        parts += pdf.table_flowables(table, language=language)
    if summary.method_note:
        parts += method_note.flowables(summary.method_note, language)
        return parts
    parts.append(KeepTogether([
        pdf.paragraph(t_in(language, "Checks and warnings"), s.heading),
        *[pdf.paragraph("• " + line, s.body) for line in summary.warnings],
        *([] if summary.warnings else [pdf.paragraph(t_in(language, "All {count} checks pass.", count=len(summary.source.catalogue.rules)), s.body)]),
    ]))
    return parts


def _chart_or_note(chart: Flowable, values: Sequence[int | None], language: str) -> Flowable:
    """The chart, unless the public edition publishes none of the figures it would draw."""
    if any(value is None for value in values) and not any(values):
        return pdf.paragraph(t_in(language, "The public version leaves this chart out: none of its figures is published."), pdf.styles().body)
    return chart


def _untitled(table: ReportTable) -> ReportTable:
    """The overview sits under a section heading of the same name: no second title."""
    return ReportTable(table.name, "", table.columns, table.rows, table.sensitive, table.note, table.footnote)


def render_summary(summary: MonthlySummary) -> pdf.RenderedPdf:
    return pdf.render(story(summary), page_info(summary))
