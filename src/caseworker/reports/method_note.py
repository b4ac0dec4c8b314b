"""The method note every public edition carries, in its PDF and in its CSV folder: the source,
what "perturbed" means, that rows may not add up to totals, the noise bound, the symbols and the
release date, in the way TÜİK and Eurostat tables say it (docs/disclosure.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether

from caseworker.domain.catalogue import Catalogue
from caseworker.i18n import t_in
from caseworker.reports import pdf
from caseworker.reports.tables import NOT_SHOWN_SYMBOL, date_time_label
from caseworker.stats.publication import PublicEdition
from caseworker.storage.atomic import write_atomic

FILE_NAME = {"tr": "00_yontem_notu.txt", "en": "00_method_note.txt"}


def summary_line(k: int, language: str) -> str:
    """The one line on the first page of a public report."""
    return t_in(language, "Public edition: every figure is perturbed (changed slightly at random, the same way every time), and no "
                          "figure from 1 to {k_minus_one} is ever shown, so that no woman can be identified, even by combining tables. "
                          "See the method note at the end.", k_minus_one=k - 1)


def lines(edition: PublicEdition, catalogue: Catalogue, issued_at: datetime | None, language: str) -> tuple[str, ...]:
    method = edition.method
    exact = [i.label(language) for i in catalogue.indicators if i.code in method["exact_indicators"]]
    k = int(method["threshold"])
    released = date_time_label(issued_at, language) if issued_at else "—"
    return (
        t_in(language, "Source: Caseworker records of the women's counselling centres (anonymous tallies; no personal data). "
                       "Each month's figures are used as they were first approved."),
        t_in(language, "Perturbed figures: each figure has been changed by a small random amount, at most {noise} up or down, "
                       "looked up by the figure and the key of the contacts behind it. The same figure is always published the same "
                       "way, so comparing tables or editions reveals nothing more.", noise=method["max_noise"]),
        t_in(language, "Small figures: no figure from 1 to {k_minus_one} is published. A published 0 means none or very few; any "
                       "other figure is at least {k}.", k_minus_one=k - 1, k=k),
        t_in(language, "Rows and columns may not add up to the totals shown: each figure, totals included, is perturbed on its own."),
        t_in(language, "Breakdowns are published only where at least {minimum} women stand behind them and they do not show all of "
                       "them in one category; other districts are counted together.", minimum=method["breakdown_minimum"]),
        *([t_in(language, "Published exactly (they count no women who sought help): {indicators}.", indicators=", ".join(exact))] if exact else []),
        t_in(language, "Symbols: {symbol} not published.", symbol=NOT_SHOWN_SYMBOL),
        t_in(language, "Released on {when}. A public edition is issued once and given again unchanged; later corrections appear "
                       "in internal figures only. Method: cell-key perturbation, as used by the ABS, the ONS (Census 2021) and "
                       "Eurostat; perturbation table {table}.", when=released, table=method["table"]),
    )


def flowables(note: Sequence[str], language: str, marks: pdf.Marks | None = None) -> list[Flowable]:
    """The note under its heading (marked as a section of the contents list when ``marks`` is given)."""
    s = pdf.styles()
    title = t_in(language, "Method note")
    heading = marks.heading("method", title, s.heading) if marks is not None else pdf.paragraph(title, s.heading)
    return [KeepTogether([heading,
                          *[pdf.paragraph("• " + line, s.small) for line in note]])]


def write(folder: Path, note: Sequence[str], language: str) -> Path:
    """The note as a text file in a public CSV folder (UTF-8 with BOM, CRLF, as the CSV files)."""
    path = Path(folder) / FILE_NAME.get(language, FILE_NAME["en"])
    text = t_in(language, "Method note") + "\r\n\r\n" + "\r\n".join(note) + "\r\n"
    write_atomic(path, ("\ufeff" + text).encode("utf-8"))
    return path
