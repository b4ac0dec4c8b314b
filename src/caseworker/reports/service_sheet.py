"""The info sheet a caseworker prints for the woman in front of her: one A4 page of hotlines and
chosen support services, in Turkish or English.

It says nothing about her — no name, no date of her visit, no field to fill in — and it never
carries a confidential address or phone: the entries it gets are already redacted, and a
confidential entry is printed with its name only and a line saying it is reached through the
centre. At most ``MAX_SERVICES`` services fit; a sheet that would run onto a second page is
refused with a message rather than split or shrunk to an unreadable size.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from caseworker.domain.directory import Service
from caseworker.domain.taxonomy import category_label
from caseworker.errors import InvalidInput
from caseworker.i18n import t_in
from caseworker.reports import fonts

MAX_SERVICES = 4
MAX_DESCRIPTION = 170
ACCENT = colors.HexColor("#6b2d5c")
SOFT = colors.HexColor("#f3e9f0")


@dataclass(frozen=True)
class SheetEntry:
    service: Service
    organization_name: str


@dataclass(frozen=True)
class RenderedSheet:
    data: bytes
    pages: int


def _styles(language: str) -> dict[str, ParagraphStyle]:
    family = fonts.register()
    base = ParagraphStyle("base", fontName=family.regular, fontSize=10, leading=13)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=family.bold, fontSize=20, leading=25, textColor=ACCENT, spaceAfter=4),
        "lead": ParagraphStyle("lead", parent=base, fontSize=11, leading=15, spaceAfter=10),
        "section": ParagraphStyle("section", parent=base, fontName=family.bold, fontSize=13, leading=17, textColor=ACCENT, spaceBefore=8, spaceAfter=6),
        "hotline_name": ParagraphStyle("hotline_name", parent=base, fontSize=10.5),
        "hotline_number": ParagraphStyle("hotline_number", parent=base, fontName=family.bold, fontSize=13, leading=15, alignment=2),
        "name": ParagraphStyle("name", parent=base, fontName=family.bold, fontSize=12, leading=15),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#5f5a5e")),
    }


def _numbers(service: Service) -> list[str]:
    return [phone.number for phone in service.phones] + [phone.number for location in service.locations for phone in location.phones]


def _service_block(entry: SheetEntry, styles: dict[str, ParagraphStyle], language: str) -> KeepTogether:
    service = entry.service
    lines = [Paragraph(escape(service.name), styles["name"])]
    if entry.organization_name and entry.organization_name != service.name:
        lines.append(Paragraph(escape(entry.organization_name), styles["body"]))
    if service.categories:
        lines.append(Paragraph(escape(", ".join(category_label(code, language) for code in service.categories)), styles["small"]))
    if service.description:
        text = service.description if len(service.description) <= MAX_DESCRIPTION else service.description[: MAX_DESCRIPTION - 1].rstrip() + "…"
        lines.append(Paragraph(escape(text), styles["body"]))
    if service.confidential:
        lines.append(Paragraph(escape(t_in(language, "Address and phone are confidential: the centre will put you in touch.")), styles["body"]))
    else:
        for location in service.locations:
            for address in location.addresses:
                lines.append(Paragraph(escape(f"{address.address_1}, {address.district}/{address.province}"), styles["body"]))
        numbers = _numbers(service)
        if numbers:
            lines.append(Paragraph(f"<b>{escape(t_in(language, 'Phone'))}:</b> {escape(', '.join(numbers))}", styles["body"]))
    if service.district and not service.confidential:
        lines.append(Paragraph(escape(t_in(language, "District: {district}", district=service.district)), styles["small"]))
    if service.languages:
        names = ", ".join(lang.name or lang.code for lang in service.languages)
        lines.append(Paragraph(escape(t_in(language, "Languages: {languages}", languages=names)), styles["small"]))
    lines.append(Spacer(1, 5))
    return KeepTogether(lines)


def render_sheet(hotlines: Sequence[SheetEntry], services: Sequence[SheetEntry], language: str, today: date | None = None) -> RenderedSheet:
    if len(services) > MAX_SERVICES:
        raise InvalidInput(t_in(language, "An info sheet holds at most {count} services on one page; choose fewer.", count=MAX_SERVICES))
    styles = _styles(language)
    story: list = [
        Paragraph(escape(t_in(language, "Support you can reach")), styles["title"]),
        Paragraph(escape(t_in(language, "These services help women facing violence. Calls to the emergency lines are free and can be made at any hour.")), styles["lead"]),
    ]
    if hotlines:
        rows = [[Paragraph(escape(entry.service.name), styles["hotline_name"]), Paragraph(escape(", ".join(_numbers(entry.service)) or "—"), styles["hotline_number"])] for entry in hotlines]
        table = Table(rows, colWidths=[110 * mm, 60 * mm])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.register().regular),
            ("BACKGROUND", (0, 0), (-1, -1), SOFT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.white),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        story += [Paragraph(escape(t_in(language, "Emergency and helplines")), styles["section"]), table]
    if services:
        story.append(Paragraph(escape(t_in(language, "Services chosen for you")), styles["section"]))
        story += [_service_block(entry, styles, language) for entry in services]
    printed = (today or date.today()).isoformat()
    story += [Spacer(1, 8), Paragraph(escape(t_in(language, "Printed {date}. Information may change; the centre can check it for you.", date=printed)), styles["small"])]
    buffer = io.BytesIO()
    pages: list[int] = []
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=16 * mm,
        title=t_in(language, "Support you can reach"), author="", lang=language, initialFontName=fonts.register().regular,
    )
    document.build(story, onLaterPages=lambda canvas, doc: pages.append(doc.page), onFirstPage=lambda canvas, doc: pages.append(doc.page))
    if len(pages) > 1:
        raise InvalidInput(t_in(language, "The chosen services do not fit on one page; choose fewer."))
    return RenderedSheet(buffer.getvalue(), len(pages))
