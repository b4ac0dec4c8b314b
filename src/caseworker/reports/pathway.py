"""The referral pathway: one A4 page per district (or for the whole city) in the layout GBV
coordination groups put on the wall.

From the top: the title and the place; the national lines, free at any hour; the order of
steps; then one row per sector (health care, psychosocial support, safety, legal aid, shelter,
economic support, child protection) with its services — name as written in the directory,
phones, hours, how to refer and whether it is free. A sector without a service in the district
says so and lists the nearest ones. A shelter is printed by name only, reached through ŞÖNİM or
ALO 183: the entries given here are already redacted, and a confidential one never shows an
address or a phone even if it had one.

Fixed texts come from the handout catalogue of the chosen language (``reports.handouts``);
Arabic and Persian pages run right to left (``reports.rtl``): columns mirrored, text right-aligned.
A pathway that does not fit on one page is set smaller, down to a readable limit, and refused
beyond it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from caseworker.domain.directory import Service
from caseworker.domain.pathways import SECTOR_CODES, fee_status
from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.reports import fonts
from caseworker.reports.handouts import Handout, handout, hours_text, phone_numbers
from caseworker.reports.rtl import paragraph

ACCENT = colors.HexColor("#6b2d5c")
SOFT = colors.HexColor("#f3e9f0")
RULE = colors.HexColor("#d9c7d3")
GREY = colors.HexColor("#5f5a5e")
SCALES = (1.0, 0.92, 0.84, 0.76, 0.7)
SECTOR_LABELS = {
    "health": "Health care",
    "psychosocial": "Psychosocial support",
    "safety": "Safety: police, gendarmerie, ŞÖNİM",
    "legal": "Legal aid",
    "shelter": "Shelter",
    "economic": "Economic support",
    "child_protection": "Child protection",
}
PAGE_WIDTH = A4[0] - 24 * mm


@dataclass(frozen=True)
class PathwayService:
    service: Service
    organization_name: str


@dataclass(frozen=True)
class PathwaySector:
    code: str
    local: bool
    services: tuple[PathwayService, ...]
    note: str = ""


@dataclass(frozen=True)
class PathwayView:
    """What one pathway shows; ``district`` "" is the whole city. ``publication`` is the number of
    the directory publication the definition came from, None when derived at this store."""

    district: str
    hotlines: tuple[PathwayService, ...]
    sectors: tuple[PathwaySector, ...]
    publication: int | None = None


@dataclass(frozen=True)
class RenderedPathway:
    data: bytes
    pages: int
    scale: float


def _styles(scale: float) -> dict[str, ParagraphStyle]:
    family = fonts.register()
    # TA_LEFT means "start": right-aligned on a right-to-left page (reports.rtl).
    base = ParagraphStyle("base", fontName=family.regular, fontSize=8.2 * scale, leading=10.4 * scale, alignment=TA_LEFT)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=family.bold, fontSize=17 * scale, leading=22 * scale, textColor=ACCENT),
        "lead": ParagraphStyle("lead", parent=base, fontSize=9 * scale, leading=12 * scale, spaceAfter=3),
        "section": ParagraphStyle("section", parent=base, fontName=family.bold, fontSize=10 * scale, leading=13 * scale, textColor=ACCENT),
        "number": ParagraphStyle("number", parent=base, fontName=family.bold, fontSize=14 * scale, leading=17 * scale, alignment=TA_CENTER, textColor=ACCENT),
        "line_name": ParagraphStyle("line_name", parent=base, fontSize=7 * scale, leading=8.6 * scale, alignment=TA_CENTER),
        "step": ParagraphStyle("step", parent=base, fontSize=8.2 * scale, leading=10.6 * scale),
        "sector": ParagraphStyle("sector", parent=base, fontName=family.bold, fontSize=9 * scale, leading=11.5 * scale, textColor=ACCENT),
        "name": ParagraphStyle("name", parent=base, fontName=family.bold, fontSize=8.6 * scale, leading=10.8 * scale),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7 * scale, leading=8.8 * scale, textColor=GREY),
        "missing": ParagraphStyle("missing", parent=base, fontSize=8 * scale, leading=10.2 * scale, textColor=colors.HexColor("#a0153e")),
    }


def _place(view: PathwayView, sheet: Handout) -> str:
    return view.district or sheet.text("İzmir, the whole city")


def _hotline_band(view: PathwayView, sheet: Handout, styles: dict[str, ParagraphStyle]) -> Table | None:
    if not view.hotlines:
        return None
    cells = []
    for line in view.hotlines:
        numbers = phone_numbers(line.service)
        number = " / ".join(numbers) if numbers else sheet.text("Mobile app")
        cells.append([paragraph(number, styles["number"], sheet.rtl), paragraph(line.service.name, styles["line_name"], sheet.rtl)])
    if sheet.rtl:
        cells.reverse()
    width = PAGE_WIDTH / len(cells)
    table = Table([cells], colWidths=[width] * len(cells))
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.register().regular),
        ("BACKGROUND", (0, 0), (-1, -1), SOFT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEAFTER", (0, 0), (-2, -1), 1.2, colors.white),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _steps(sheet: Handout, styles: dict[str, ParagraphStyle]) -> Table:
    texts = (
        "1. In immediate danger: call 112, 155 (police) or 156 (gendarmerie).",
        "2. Listen, believe her, do not judge; ask what she wants and keep it confidential.",
        "3. With her consent, refer her to the services below; ŞÖNİM applies protective orders (Law 6284).",
        "4. A shelter place is arranged only through ŞÖNİM or ALO 183; never give out a shelter's address.",
    )
    cell = [paragraph(sheet.text("Steps"), styles["section"], sheet.rtl)] + [paragraph(sheet.text(text), styles["step"], sheet.rtl) for text in texts]
    table = Table([[cell]], colWidths=[PAGE_WIDTH])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.register().regular),
        ("BOX", (0, 0), (-1, -1), 0.8, ACCENT),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _service_lines(entry: PathwayService, sector: PathwaySector, view: PathwayView, sheet: Handout, styles: dict[str, ParagraphStyle]) -> list:
    service = entry.service
    name = service.name
    if service.district and (not view.district or not sector.local or service.district != view.district) and not name.endswith(service.district):
        name = f"{name} — {service.district}"
    elif not service.district and view.district and not service.confidential:
        name = f"{name} — {sheet.text('city-wide')}"
    lines = [paragraph(name, styles["name"], sheet.rtl)]
    if service.confidential:
        lines.append(paragraph(sheet.text("Through ŞÖNİM / ALO 183; the address is confidential."), styles["body"], sheet.rtl))
        return lines
    facts = []
    numbers = phone_numbers(service)
    if numbers:
        facts.append(sheet.text("Tel. {numbers}", numbers=", ".join(numbers)))
    hours = "; ".join(filter(None, (hours_text(schedule, sheet) for schedule in service.schedules)))
    if hours:
        facts.append(hours)
    status, fees = fee_status(service)
    facts.append(sheet.text("Free") if status == "free" else sheet.text("Fees: {fees}", fees=fees) if status == "fee" else sheet.text("Ask about fees"))
    lines.append(paragraph(" · ".join(facts), styles["body"], sheet.rtl))
    how = service.application_process or sheet.text("Call first or go in person.")
    lines.append(paragraph(sheet.text("How to refer: {how}", how=how), styles["small"], sheet.rtl))
    return lines


def _sector_rows(view: PathwayView, sheet: Handout, styles: dict[str, ParagraphStyle]) -> Table:
    rows = []
    for sector in view.sectors:
        cell: list = []
        if not sector.local and view.district:
            if sector.services:
                cell.append(paragraph(sheet.text("No service in {district}; the nearest:", district=view.district), styles["missing"], sheet.rtl))
        if not sector.services:
            cell.append(paragraph(sheet.text("No service listed: call ALO 183."), styles["missing"], sheet.rtl))
        for entry in sector.services:
            cell += _service_lines(entry, sector, view, sheet, styles)
            cell.append(Spacer(1, 2))
        if sector.note:
            cell.append(paragraph(sheet.text("Note: {note}", note=sector.note), styles["small"], sheet.rtl))
        label = paragraph(sheet.text(SECTOR_LABELS[sector.code]), styles["sector"], sheet.rtl)
        rows.append([cell, [label]] if sheet.rtl else [[label], cell])
    widths = [PAGE_WIDTH - 40 * mm, 40 * mm] if sheet.rtl else [40 * mm, PAGE_WIDTH - 40 * mm]
    label_column = 1 if sheet.rtl else 0
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.register().regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (label_column, 0), (label_column, -1), SOFT),
        ("LINEBELOW", (0, 0), (-1, -1), 0.6, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _story(view: PathwayView, sheet: Handout, reviewed: bool, printed: date, scale: float) -> list:
    styles = _styles(scale)
    story: list = [
        paragraph(sheet.text("Referral pathway: {place}", place=_place(view, sheet)), styles["title"], sheet.rtl),
        paragraph(sheet.text("Where to refer a woman facing violence, sector by sector. Services are free unless marked otherwise."), styles["lead"], sheet.rtl),
    ]
    band = _hotline_band(view, sheet, styles)
    if band is not None:
        story += [paragraph(sheet.text("National lines: free, at any hour"), styles["section"], sheet.rtl), Spacer(1, 2), band]
    story += [Spacer(1, 5), _steps(sheet, styles), Spacer(1, 5), _sector_rows(view, sheet, styles), Spacer(1, 4)]
    if view.publication is not None:
        story.append(paragraph(sheet.text("As published by the coordinating unit (directory publication {number}).", number=view.publication), styles["small"], sheet.rtl))
    story.append(paragraph(sheet.text("Printed {date}. Information may change; the centre can check it for you.", date=printed.isoformat()), styles["small"], sheet.rtl))
    if not reviewed:
        story.append(paragraph(sheet.text("Translation to be reviewed by a native speaker."), styles["small"], sheet.rtl))
    return story


def render_pathway(view: PathwayView, language: str, *, reviewed: bool, today: date | None = None) -> RenderedPathway:
    """The pathway as a one-page PDF in ``language``; ``reviewed`` False adds the small line
    saying the translation is to be reviewed by a native speaker."""
    sheet = handout(language)
    if [sector.code for sector in view.sectors] != list(SECTOR_CODES):
        raise ValueError("a pathway lists every sector once, in the fixed order")
    printed = today or date.today()
    for scale in SCALES:
        buffer = io.BytesIO()
        pages: list[int] = []
        document = SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=11 * mm, bottomMargin=10 * mm,
            title=sheet.text("Referral pathway: {place}", place=_place(view, sheet)), author="", lang=language,
            initialFontName=fonts.register().regular,
        )
        document.build(_story(view, sheet, reviewed, printed, scale),
                       onFirstPage=lambda canvas, doc: pages.append(doc.page), onLaterPages=lambda canvas, doc: pages.append(doc.page))
        if len(pages) == 1:
            return RenderedPathway(buffer.getvalue(), 1, scale)
    raise InvalidInput(t("The pathway of {place} does not fit on one page even in small print: list fewer services per sector.", place=view.district or t("the whole city")))


def sector_view(code: str, local: bool, services: Sequence[PathwayService], note: str = "") -> PathwaySector:
    return PathwaySector(code, local, tuple(services), note)
