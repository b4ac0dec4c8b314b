"""Report figures: the time to print a centre's monthly summary PDF, against DESIGN.md's target.

    python benchmarks/bench_reports.py [--repeat N] [--review DIR]

Target: monthly summary PDF <= 0.05 s, internal and public (DESIGN.md's older bound: <= 0.5 s).
Measured through the use case
(``app.reports.monthly_summary``: reading thirteen months from the encrypted store, disclosure
control for the public version, layout, fonts, writing the file), on a store with realistic
figures for every month of the trend. The first call of a process also registers the embedded
fonts, so it is reported apart ("first"); a command-line run pays it once.

Baseline in the same run: a bare reportlab document with the same number of pages (Helvetica
paragraphs only), so that a slow machine shows up as a slow baseline too.

``--review DIR`` also writes the Turkish, English and public summaries and their pages as PNG
(``pdftoppm -png -r 60``) into DIR, for a person to look at: overlaps, clipped labels, charts.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import getSampleStyleSheet  # noqa: E402
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate  # noqa: E402

from caseworker.app import catalogue as catalogue_uc  # noqa: E402
from caseworker.app import counts as counts_uc  # noqa: E402
from caseworker.app import months as months_uc  # noqa: E402
from caseworker.app.reports import monthly_summary  # noqa: E402
from caseworker.app.session import Session, initialise  # noqa: E402
from caseworker.domain.periods import Period  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402

TARGET_SECONDS = 0.05
DESIGN_SECONDS = 0.5
PERIOD = Period(2026, 3)


def fill(session: Session, rng: random.Random) -> None:
    """The twelve months before and the same month a year before, each cell drawn around a centre's
    usual size; the reported month recorded contact by contact and submitted (a public summary
    shows approved months only, and a month is submitted once its checks pass)."""
    catalogue = catalogue_uc.current(session)
    for offset in range(-13, 0):
        values = {}
        for indicator in catalogue.active_indicators():
            for cell in catalogue.cells(indicator):
                values[cell] = max(0, int(rng.gauss(6, 5)))
        counts_uc.set_counts(session, PERIOD.plus(offset), values)
    book = counts_uc.TallyBook(session)
    for _ in range(40):
        book.record(PERIOD, "new_applicant", {
            "age": rng.choice(["18-24", "25-34", "35-44", "45-54"]), "status": rng.choice(["citizen", "temporary_protection"]),
            "source": rng.choice(["self", "alo183", "police", "ngo"]), "violence": rng.sample(["physical", "psychological", "economic"], 2),
            "perpetrator": ["spouse"], "referral": rng.sample(["legal_aid", "sonim", "shelter"], 1),
            "protective_order": rng.random() < 0.3, "children": rng.random() < 0.5})
    for _ in range(25):
        book.record(PERIOD, "follow_up", {"age": rng.choice(["25-34", "35-44"]), "session": rng.choice(["psychological", "social", "legal"])})
    months_uc.submit(session, PERIOD)


def bare_document(pages: int) -> float:
    styles = getSampleStyleSheet()
    story = []
    for page in range(pages):
        story += [Paragraph(f"Page {page + 1}: " + "figures " * 40, styles["Normal"]) for _ in range(12)]
        story.append(PageBreak())
    start = time.perf_counter()
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build(story[:-1])
    return time.perf_counter() - start


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def review(session: Session, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, language, public in (("monthly-tr", "tr", False), ("monthly-en", "en", False), ("monthly-tr-public", "tr", True)):
        pdf = folder / f"{name}.pdf"
        monthly_summary(session, PERIOD, pdf, language, public)
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / name)], check=True)
    print(f"review files written to {folder}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--review", type=Path, metavar="DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        session, _ = initialise(Path(tmp) / "home", store_role=StoreRole.CENTRE, name="Konak Kadın Danışma Merkezi",
                                district="Konak", user_name="bench", passphrase="a passphrase of fair length")
        with session:
            fill(session, random.Random(2026))
            out = Path(tmp) / "summary.pdf"
            start = time.perf_counter()
            first = monthly_summary(session, PERIOD, out)
            first_time = time.perf_counter() - start
            internal = timed(lambda: monthly_summary(session, PERIOD, out), args.repeat)
            public = timed(lambda: monthly_summary(session, PERIOD, out, public=True), args.repeat)
            baseline = [bare_document(first.pages) for _ in range(args.repeat)]
            if args.review:
                review(session, args.review)

    base = statistics.median(baseline)

    def line(name: str, times: list[float]) -> str:
        median = statistics.median(times)
        return f"{name:<34} median {median * 1000:7.1f} ms   max {max(times) * 1000:7.1f} ms   {median / base:5.1f}x baseline"

    def target(name: str, figure: float, bound: float) -> str:
        return f"{name:<34} {figure * 1000:8.1f} ms  target <= {bound * 1000:.0f} ms  {'OK' if figure <= bound else 'NOT met'}"

    print(f"monthly summary, {first.pages} pages, {args.repeat} runs each")
    print(f"{'first call (registers fonts)':<34} {first_time * 1000:14.1f} ms")
    print(line(f"baseline: bare reportlab, {first.pages} pages", baseline))
    print(line("internal summary", internal))
    print(line("public summary (disclosure control)", public))
    print(target("internal summary (median)", statistics.median(internal), TARGET_SECONDS))
    print(target("public summary (median)", statistics.median(public), TARGET_SECONDS))
    print(target("slowest run, first call included", max(first_time, max(internal), max(public)), DESIGN_SECONDS))


if __name__ == "__main__":
    main()
