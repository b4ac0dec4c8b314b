"""Reading a table back from a printed report, wherever it stands on its page.

Tables of the city report stand side by side on landscape pages, so a line of ``pdftotext
-layout`` can cross several of them. Here a table is read from its own region of the page
(pypdfium2): from its title down, from the title's left edge to the next block on the right.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium

FIGURE = re.compile(r"\d{1,3}([.,]\d{3})*|\.\.|\d+/\d+|[A-ZÇĞİÖŞÜ]|—|…|[+-]\d.*")


def _region_text(page: pdfium.PdfPage, title: str) -> str | None:
    textpage = page.get_textpage()
    searcher = textpage.search(title, match_case=True)
    found, last = searcher.get_next(), None
    while found:
        index, count = found
        after = textpage.get_text_range(index + count, 1) if index + count < textpage.count_chars() else "\n"
        before = textpage.get_text_range(index - 1, 1) if index else "\n"
        if after in ("\r", "\n") and before in ("\r", "\n") and textpage.get_text_range(index, count) == title:  # a line of its own: the title, not a longer text
            last = found
        found = searcher.get_next()
    if last is None:
        return None
    index, count = last
    boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
    left, bottom, right, top = min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
    bound = page.get_width()
    for i in range(textpage.count_chars()):
        box = textpage.get_charbox(i)
        if box[0] > right + 10 and box[1] < top and box[3] > bottom and box[2] > box[0]:
            bound = min(bound, box[0] - 1)
    return textpage.get_text_bounded(left - 1, 0, bound, bottom + 0.5)


def table_rows(path: Path, title: str, total_label: str) -> dict[str, list[str]]:
    """The rows printed under the last ``title`` of the PDF, each label with its figures, up to
    the total row."""
    document = pdfium.PdfDocument(str(path))
    try:
        for number in reversed(range(len(document))):
            text = _region_text(document[number], title)
            if text is None:
                continue
            rows: dict[str, list[str]] = {}
            for line in text.replace("\r\n", "\n").split("\n"):
                tokens = line.split()
                split = next((i for i, token in enumerate(tokens) if FIGURE.fullmatch(token) and i > 0), None)
                if split is None:
                    continue
                label, values = " ".join(tokens[:split]), tokens[split:]
                if all(FIGURE.fullmatch(value) for value in values):
                    rows[label] = values
                if label == total_label:
                    return rows
            raise AssertionError(f"no total row under {title} on page {number + 1}: {text}")
    finally:
        document.close()
    raise AssertionError(f"{title} not found")
