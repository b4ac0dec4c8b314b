"""Directory search as the user types, at 10,000 services.

    python benchmarks/bench_directory_search.py [--services N] [--limit N] [--seed N]

Builds an encrypted store with N generated services (Turkish names, İzmir districts and
neighbourhoods, categories, descriptions), then runs every prefix of several queries through
``app.directory.search`` (what the Directory screen calls on each key press: the first page of
``--limit`` results; the list reads the next pages only when scrolled), and reports p50 / p95
latency against the target: p95 <= 3 ms at 10,000 services.

Baselines, measured in the same run over the same services: the bare FTS5 prefix query of the
last word typed, in the same store (the floor: finding 50 rows that hold the word, unranked),
and a plain Python scan (keys folded in advance, each query word matched as a substring,
ranked by the same tiers and sorted in Turkish order).

The store remembers what a search's index look-ups found for the next few searches
(``storage.directory._Lookups``): a key press reuses what the presses before it looked up, as
it does for someone typing. A round types far more key presses than that, so no round finds
what the round before it looked up: each query is typed as if for the first time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from caseworker.app import directory as directory_uc  # noqa: E402
from caseworker.app.session import initialise  # noqa: E402
from caseworker.domain.directory import Address, Directory, Location, Organization, Phone, Schedule, Service  # noqa: E402
from caseworker.domain.districts import IZMIR_DISTRICTS  # noqa: E402
from caseworker.domain.taxonomy import support_taxonomy  # noqa: E402
from caseworker.domain.text import search_key, tr_sort_key  # noqa: E402
from caseworker.domain.users import StoreRole  # noqa: E402
from caseworker.storage import directory as directory_repo  # noqa: E402
from caseworker.storage.store import now_utc  # noqa: E402

TARGET_P95_MS = 3.0
QUERIES = ("karşıyaka", "şönim", "kınık kadın", "psikolojik destek", "adli yardım", "çiğli kreş", "göçmen", "istihdam")
NEIGHBOURHOODS = ("Alsancak", "Göztepe", "Bostanlı", "Şirinyer", "Hatay", "Güzelyalı", "Evka-3", "Mavişehir", "Üçkuyular", "Çamdibi", "Işıkkent", "Gültepe")
KINDS = (
    "Kadın Danışma Merkezi", "Sosyal Hizmet Merkezi", "Baro Adli Yardım Bürosu", "Psikolojik Destek Birimi", "Kadın Kooperatifi",
    "Halk Sağlığı Merkezi", "Meslek Edindirme Kursu", "Belediye Kreşi", "Göçmen Destek Noktası", "Şiddet Önleme ve İzleme Merkezi (ŞÖNİM)",
    "Aile Sağlığı Merkezi", "İŞKUR Hizmet Noktası", "Dayanışma Derneği", "Polis Merkezi", "Jandarma Karakolu",
)
WORDS = ("ücretsiz", "randevu", "görüşme", "çocuklu", "kadınlar", "danışmanlık", "hukuki", "barınma", "tercüman", "Arapça", "Kürtçe", "eğitim", "iş", "kurs", "sağlık", "destek")


def generate(count: int, seed: int) -> Directory:
    rng = random.Random(seed)
    codes = sorted(support_taxonomy().codes)
    organizations = tuple(
        Organization(f"00000000-0000-4000-8000-{index:012d}", f"{rng.choice(NEIGHBOURHOODS)} {rng.choice(('Derneği', 'Vakfı', 'Belediyesi', 'Kooperatifi'))} {index}")
        for index in range(max(1, count // 20))
    )
    services = []
    for index in range(count):
        district = rng.choice(IZMIR_DISTRICTS)
        neighbourhood = rng.choice(NEIGHBOURHOODS)
        ident = f"{index:012d}"
        location = Location(
            f"10000000-0000-4000-8000-{ident}",
            f"{neighbourhood} binası",
            addresses=(Address(f"20000000-0000-4000-8000-{ident}", f"{neighbourhood} Mah. {rng.randint(1, 3000)}. Sok. No: {rng.randint(1, 90)}", district, "İzmir", f"35{rng.randint(0, 999):03d}"),),
        )
        services.append(
            Service(
                f"30000000-0000-4000-8000-{ident}",
                organizations[index % len(organizations)].id,
                f"{district} {rng.choice(KINDS)} {neighbourhood}",
                description=" ".join(rng.choice(WORDS) for _ in range(12)),
                categories=tuple(rng.sample(codes, rng.randint(1, 3))),
                district=district,
                verified_at=date(2025, rng.randint(1, 12), rng.randint(1, 28)),
                phones=(Phone(f"40000000-0000-4000-8000-{ident}", f"0 232 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"),),
                schedules=(Schedule(f"50000000-0000-4000-8000-{ident}", byday="MO,TU,WE,TH,FR", opens_at=clock(9), closes_at=clock(17)),),
                locations=(location,),
            )
        )
    return Directory(organizations, tuple(services))


def typing_prefixes(query: str) -> list[str]:
    return [query[:end] for end in range(1, len(query) + 1) if query[end - 1] != " "]


class PythonScan:
    """The baseline: a scan over keys folded in advance, same matching rules and order."""

    def __init__(self, directory: Directory) -> None:
        names = {organization.id: organization.name for organization in directory.organizations}
        self.rows = []
        for service in directory.services:
            labels = [label for code in service.categories for label in (support_taxonomy().term(code).label_tr, support_taxonomy().term(code).label_en)]
            other = search_key(" ".join([names[service.organization_id], service.district, *labels]))
            self.rows.append((search_key(service.name), other, search_key(service.description), tr_sort_key(service.name), service.id))

    def search(self, text: str, limit: int) -> list[str]:
        phrase = search_key(text)
        words = phrase.split()
        hits = []
        for name, other, description, order, service_id in self.rows:
            everything = f" {name} {other} {description}"
            if not all((" " + word if len(word) < 3 else word) in everything for word in words):
                continue
            if name == phrase:
                tier = 0
            elif name.startswith(phrase):
                tier = 1
            elif " " + phrase in " " + name:
                tier = 2
            elif phrase in name:
                tier = 3
            elif " " + phrase in " " + other:
                tier = 4
            elif phrase in other:
                tier = 5
            elif phrase in description:
                tier = 6
            else:
                tier = 8
            hits.append((tier, order, service_id))
        hits.sort()
        return [service_id for _, _, service_id in (hits[:limit] if limit else hits)]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(run, prefixes: list[str], rounds: int, clock=time.perf_counter) -> list[float]:
    timings = []
    for _ in range(rounds):
        for prefix in prefixes:
            start = clock()
            run(prefix)
            timings.append((clock() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=50, help="results per key press (a screenful)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    directory = generate(args.services, args.seed)
    prefixes = [prefix for query in QUERIES for prefix in typing_prefixes(query)]
    assert len(prefixes) > 2 * directory_repo._Lookups._KEPT_FOR, "a round must not find what the round before it looked up"
    with tempfile.TemporaryDirectory() as folder:
        session, _ = initialise(Path(folder) / "home", store_role=StoreRole.CENTRE, name="Bench", district="Konak", user_name="bench", passphrase="a passphrase of fair length")
        start = time.perf_counter()
        with session.transaction() as conn:
            directory_repo.save(conn, directory, now_utc())
        print(f"stored {args.services} services in {time.perf_counter() - start:.1f} s")
        try:
            for prefix in prefixes[:5]:  # warm the page cache, as a running program has it
                directory_uc.search(session, prefix, limit=args.limit)
            store_times = measure(lambda text: directory_uc.search(session, text, limit=args.limit), prefixes, args.rounds)
            full_times = measure(lambda text: directory_uc.search(session, text), prefixes, 1)
            open_times = measure(
                lambda text: directory_uc.search(session, text, directory_uc.SearchFilters(open_at=datetime(2026, 3, 4, 10)), limit=args.limit),
                prefixes, 1,
            )
            filtered_times = measure(lambda text: directory_uc.search(session, text, directory_uc.SearchFilters(district="Buca", category="legal_aid"), limit=args.limit), prefixes, 1)
            cpu_times = measure(lambda text: directory_uc.search(session, text, limit=args.limit), prefixes, args.rounds, time.thread_time)
            next_page_times = measure(lambda text: directory_uc.search(session, text, limit=args.limit, offset=args.limit), prefixes, 1)

            def bare_fts(text: str) -> None:
                word = search_key(text).split()[-1]
                with session.reading() as conn:
                    conn.execute("SELECT rowid FROM directory_words WHERE directory_words MATCH ? LIMIT ?", (f'"{word}"*', args.limit)).fetchall()

            fts_times = measure(bare_fts, prefixes, args.rounds)
        finally:
            session.close()
    scan = PythonScan(directory)
    scan_times = measure(lambda text: scan.search(text, args.limit), prefixes, 1)

    print(f"{len(prefixes)} key presses x {args.rounds} rounds; queries: {', '.join(QUERIES)}")
    rows = [
        (f"store search, {args.limit} results", store_times),
        (f"store search, {args.limit} results, CPU time of the thread", cpu_times),
        ("store search, the next page (scrolling)", next_page_times),
        ("store search, every result", full_times),
        (f"store search, open now, {args.limit} results", open_times),
        (f"store search, district + category, {args.limit} results", filtered_times),
        ("baseline: bare FTS5 prefix query, last word, 50 rows", fts_times),
        ("baseline: Python scan, pre-folded keys", scan_times),
    ]
    for label, timings in rows:
        print(f"  {label:<50} p50 {statistics.median(timings):7.2f} ms   p95 {percentile(timings, 0.95):7.2f} ms   max {max(timings):7.2f} ms")
    p95 = percentile(store_times, 0.95)
    print(f"Python scan / store (p95): {percentile(scan_times, 0.95) / p95:.1f}x; store / bare FTS5 query (p95): {p95 / percentile(fts_times, 0.95):.1f}x")
    print(f"search p95, first {args.limit} results, {args.services} services: {p95:.2f} ms (bare FTS5 prefix query p95 {percentile(fts_times, 0.95):.2f} ms); "
          f"target <= {TARGET_P95_MS:.0f} ms: {'OK' if p95 <= TARGET_P95_MS else 'NOT met'}")
    slowest = sorted(zip(store_times[: len(prefixes)], prefixes), reverse=True)[:3]
    print("slowest key presses: " + ", ".join(f"{prefix!r} {ms:.1f} ms" for ms, prefix in slowest))


if __name__ == "__main__":
    main()
