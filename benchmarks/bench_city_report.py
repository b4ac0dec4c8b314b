"""Report figures: the time to print the coordinator's city report PDF, against DESIGN.md's target.

    python benchmarks/bench_city_report.py [--repeat N] [--review DIR]

Targets: the internal city report (30 centres x 12 months) <= 0.25 s (DESIGN.md's older bound:
<= 2 s), the public one within 1.5 times the internal one of the same run. Measured through the use
case (``app.reports.city_report``: reading the range, the same months a year before and the
trend from the encrypted store, summing by district and city, layout, fonts, writing the file),
on a coordinator's store holding 30 centres, one in each of the 30
districts with realistic figures for every month of two years. The centres' months are written
straight into the store (as an import would leave them): importing bundles is measured by its
own benchmark. The first call of a process also registers the embedded fonts, so it is reported
apart ("first").

The public report is measured as issued for the first time (the register is emptied before each
run, outside the time measured): the year's figures as first submitted with their cell keys, the public editions of its
four quarters and of the year (perturbation, publication levels), the register, then the PDF.
Target of docs/disclosure.md: within 1.5 times the internal report of the same run, as the
median of the rounds' ratios (each round's public report against that round's internal one).
The public report asked for again (its editions taken from the register, as every later print
is) is measured too.

Baseline in the same run: a bare reportlab document with the same number of pages (Helvetica
paragraphs only), so that a slow machine shows up as a slow baseline too. The four are run in
turns, one of each per round, so that a slow spell of a shared machine falls on all of them
alike rather than on whichever was running then.

``--review DIR`` also writes the Turkish, English and public reports and their pages as PNG
(``pdftoppm -png -r 60``) into DIR, for a person to look at: overlaps, clipped labels, charts.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reports import bare_document, timed  # noqa: E402

from caseworker.app import catalogue as catalogue_uc  # noqa: E402
from caseworker.app.reports import city_report  # noqa: E402
from caseworker.app.session import Session, initialise  # noqa: E402
from caseworker.domain.counts import KEY_MODULUS, KeyedCount  # noqa: E402
from caseworker.domain.districts import IZMIR_DISTRICTS  # noqa: E402
from caseworker.domain.periods import Period  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402
from caseworker.storage import sync as sync_repo  # noqa: E402

TARGET_SECONDS = 0.25
DESIGN_SECONDS = 2.0
PUBLIC_RATIO_TARGET = 1.5
CENTRES = 30
FIRST, LAST = Period(2025, 1), Period(2025, 12)


def fill(session: Session, rng: random.Random) -> None:
    """30 centres, one in each district, each with every month of 2024 and 2025 (submitted), each
    cell drawn around the centre's usual size (some centres small, so that a public report has
    small counts to hide)."""
    catalogue = catalogue_uc.current(session)
    cells = [cell for indicator in catalogue.active_indicators() for cell in catalogue.cells(indicator)]
    districts = IZMIR_DISTRICTS
    with session.transaction() as conn:
        for number in range(CENTRES):
            district = districts[number % len(districts)]
            centre_id = f"centre-{number:02d}"
            sync_repo.upsert_centre(conn, sync_repo.Centre(centre_id, f"{district} Kadın Danışma Merkezi {number}", district, "2023-12-01T09:00:00+00:00"))
            size = rng.choice([1, 2, 4, 6, 8])
            for offset in range(24):
                period = Period(2024, 1).plus(offset)
                values = {cell: KeyedCount(value, rng.randrange(KEY_MODULUS)) for cell in cells
                          if (value := max(0, int(rng.gauss(size, size))))}
                received = f"{period.next().year}-{period.next().month:02d}-0{rng.randint(1, 9)}T10:00:00+00:00"
                sync_repo.replace_centre_month(conn, centre_id, str(period), "submitted", offset + 1, f"{number:02d}{offset:030d}",
                                               catalogue.version, values, values, received)


def empty_register(session: Session) -> None:
    """The register as before the first public edition (not timed: it is the benchmark's doing)."""
    with session.transaction() as conn:
        conn.execute("DELETE FROM releases")


def review(session: Session, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, language, public in (("city-tr", "tr", False), ("city-en", "en", False), ("city-tr-public", "tr", True)):
        pdf = folder / f"{name}.pdf"
        city_report(session, FIRST, LAST, pdf, language, public)
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / name)], check=True)
    print(f"review files written to {folder}")


def paired_ratio(times: list[float], internal: list[float]) -> float:
    """The median of the rounds' ratios: each round's public report against the internal report
    of the same round, so that a slow spell of the machine falls on both sides of a ratio."""
    return statistics.median(one / other for one, other in zip(times, internal, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--review", type=Path, metavar="DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        session, _ = initialise(Path(tmp) / "home", store_role=StoreRole.COORDINATOR, name="İzmir BB Kadın Çalışmaları Şube Müdürlüğü",
                                district="", user_name="bench", passphrase="a passphrase of fair length")
        with session:
            fill(session, random.Random(2026))
            out = Path(tmp) / "city.pdf"
            start = time.perf_counter()
            first = city_report(session, FIRST, LAST, out)
            first_time = time.perf_counter() - start
            internal, public, again, baseline = [], [], [], []
            for _ in range(args.repeat):  # in turns, so that a slow spell of a shared machine falls on all four alike
                internal += timed(lambda: city_report(session, FIRST, LAST, out), 1)
                empty_register(session)
                public += timed(lambda: city_report(session, FIRST, LAST, out, public=True), 1)
                again += timed(lambda: city_report(session, FIRST, LAST, out, public=True), 1)
                baseline.append(bare_document(first.pages))
            if args.review:
                review(session, args.review)

    base = statistics.median(baseline)

    def line(name: str, times: list[float]) -> str:
        median = statistics.median(times)
        return f"{name:<40} median {median * 1000:7.1f} ms   max {max(times) * 1000:7.1f} ms   {median / base:5.1f}x baseline"

    def target(name: str, figure: float, bound: float, unit: str = "ms") -> str:
        shown = (f"{figure * 1000:.1f} ms", f"{bound * 1000:.0f} ms") if unit == "ms" else (f"{figure:.2f}x", f"{bound}x")
        return f"{name:<40} {shown[0]:>10}  target <= {shown[1]:<8} {'OK' if figure <= bound else 'NOT met'}"

    print(f"city report, {CENTRES} centres x 12 months, {first.pages} pages, {args.repeat} runs each")
    print(f"{'first call (registers fonts)':<40} {first_time * 1000:14.1f} ms")
    print(line(f"baseline: bare reportlab, {first.pages} pages", baseline))
    print(line("internal report", internal))
    print(line("public report, issued anew (5 editions)", public))
    print(line("public report, given again (register)", again))
    print(target("internal report (median)", statistics.median(internal), TARGET_SECONDS))
    print(target("public issued anew / internal (rounds)", paired_ratio(public, internal), PUBLIC_RATIO_TARGET, unit="x"))
    print(target("public given again / internal (rounds)", paired_ratio(again, internal), PUBLIC_RATIO_TARGET, unit="x"))
    print(target("slowest run, first call included", max(first_time, max(internal), max(public)), DESIGN_SECONDS))


if __name__ == "__main__":
    main()
