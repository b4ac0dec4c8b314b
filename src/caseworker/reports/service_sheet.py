"""The info sheet a caseworker prints for the woman in front of her: one A4 page of hotlines and
chosen support services, in the language she reads (the handout languages: Turkish, English,
Arabic, Persian, Kurmanji; ``reports.handouts``), whatever the interface speaks. Arabic and
Persian sheets run right to left (``reports.rtl``). Service names and the directory's own words
are printed as written; a translation not yet reviewed by a native speaker says so in small print.

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

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from caseworker.domain.directory import Service
from caseworker.errors import InvalidInput
from caseworker.i18n import t
from caseworker.reports import fonts
from caseworker.reports.handouts import Handout, handout, phone_numbers
from caseworker.reports.rtl import paragraph

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


def _styles() -> dict[str, ParagraphStyle]:
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


def _service_block(entry: SheetEntry, styles: dict[str, ParagraphStyle], sheet: Handout) -> KeepTogether:
    service, rtl = entry.service, sheet.rtl
    lines = [paragraph(service.name, styles["name"], rtl)]
    if entry.organization_name and entry.organization_name != service.name:
        lines.append(paragraph(entry.organization_name, styles["body"], rtl))
    if service.categories:
        lines.append(paragraph((", " if not rtl else "، ").join(sheet.category(code) for code in service.categories), styles["small"], rtl))
    if service.description:
        text = service.description if len(service.description) <= MAX_DESCRIPTION else service.description[: MAX_DESCRIPTION - 1].rstrip() + "…"
        lines.append(paragraph(text, styles["body"], rtl))
    if service.confidential:
        lines.append(paragraph(sheet.text("Address and phone are confidential: the centre will put you in touch."), styles["body"], rtl))
    else:
        for location in service.locations:
            for address in location.addresses:
                lines.append(paragraph(f"{address.address_1}, {address.district}/{address.province}", styles["body"], rtl))
        numbers = phone_numbers(service)
        if numbers:
            lines.append(paragraph(f"{sheet.text('Phone')}: {', '.join(numbers)}", styles["body"], rtl))
    if service.district and not service.confidential:
        lines.append(paragraph(sheet.text("District: {district}", district=service.district), styles["small"], rtl))
    if service.languages:
        names = ", ".join(lang.name or lang.code for lang in service.languages)
        lines.append(paragraph(sheet.text("Languages: {languages}", languages=names), styles["small"], rtl))
    lines.append(Spacer(1, 5))
    return KeepTogether(lines)


def render_sheet(hotlines: Sequence[SheetEntry], services: Sequence[SheetEntry], language: str, today: date | None = None, *, reviewed: bool = True) -> RenderedSheet:
    """The sheet in ``language`` (a handout language); ``reviewed`` False adds the small line
    saying the translation is to be reviewed by a native speaker."""
    if len(services) > MAX_SERVICES:
        raise InvalidInput(t("An info sheet holds at most {count} services on one page; choose fewer.", count=MAX_SERVICES))
    sheet = handout(language)
    rtl = sheet.rtl
    styles = _styles()
    story: list = [
        paragraph(sheet.text("Support you can reach"), styles["title"], rtl),
        paragraph(sheet.text("These services help women facing violence. Calls to the emergency lines are free and can be made at any hour."), styles["lead"], rtl),
    ]
    if hotlines:
        rows = [[paragraph(entry.service.name, styles["hotline_name"], rtl), paragraph(", ".join(phone_numbers(entry.service)) or "—", styles["hotline_number"], rtl)] for entry in hotlines]
        if rtl:
            rows = [list(reversed(row)) for row in rows]
        table = Table(rows, colWidths=[60 * mm, 110 * mm] if rtl else [110 * mm, 60 * mm])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.register().regular),
            ("BACKGROUND", (0, 0), (-1, -1), SOFT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -2), 0.4, colors.white),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        story += [paragraph(sheet.text("Emergency and helplines"), styles["section"], rtl), table]
    if services:
        story.append(paragraph(sheet.text("Services chosen for you"), styles["section"], rtl))
        story += [_service_block(entry, styles, sheet) for entry in services]
    printed = (today or date.today()).isoformat()
    story += [Spacer(1, 8), paragraph(sheet.text("Printed {date}. Information may change; the centre can check it for you.", date=printed), styles["small"], rtl)]
    if not reviewed:
        story.append(paragraph(sheet.text("Translation to be reviewed by a native speaker."), styles["small"], rtl))
    buffer = io.BytesIO()
    pages: list[int] = []
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=16 * mm,
        title=sheet.text("Support you can reach"), author="", lang=language, initialFontName=fonts.register().regular,
    )
    document.build(story, onLaterPages=lambda canvas, doc: pages.append(doc.page), onFirstPage=lambda canvas, doc: pages.append(doc.page))
    if len(pages) > 1:
        raise InvalidInput(t("The chosen services do not fit on one page; choose fewer."))
    return RenderedSheet(buffer.getvalue(), len(pages))
