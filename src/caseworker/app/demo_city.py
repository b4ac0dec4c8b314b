"""The coordinator demo: İzmir's 30 districts, their centres, and two years of figures that
arrived as real bundles.

``caseworker --demo --coordinator`` opens it. Every demo centre has a signing key of its own and
is enrolled through the coordinator's real enrolment (its request's fingerprint confirmed, as a
coordinator does after the phone call). Its months are tallied contact by contact with the
catalogue's own tally forms, sealed into real signed and encrypted bundles (payload format 2,
with cell keys, so public editions can be issued) and imported through the real import path,
each batch as of the day it arrived: the store's clock is replayed, so reporting rates, late
months, the import log and the audit log tell the story as it happened.

The story (its figures drawn with a fixed seed, its days counted back from today): most months
arrive by the deadline, some late (a few first as an open month, submitted weeks later); some
centres fall silent for a few months, and those months come much later, after a reminder. Only
in the last half-year are some months still missing, and one bundle was lost on the way (a gap
in the sequence): the older quarters are complete and can be published. Some months are
reopened and approved again, arriving a second time with corrected figures beside those first
submitted; one centre opens in the second year. No centre store is created: it would add the
cost of its own file and passphrase hashing, and not one check on the coordinator's side.
"""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from caseworker.app import catalogue as catalogue_uc
from caseworker.app import sync_import, sync_keys
from caseworker.app.demo import DEMO_PASSPHRASE, DEMO_USER
from caseworker.app.session import Session, initialise
from caseworker.domain.catalogue import Catalogue
from caseworker.domain.counts import KEY_MODULUS, CellKey, KeyedCount
from caseworker.domain.districts import IZMIR_DISTRICTS
from caseworker.domain.periods import Period
from caseworker.domain.tally import cells_for_contact
from caseworker.domain.text import search_key
from caseworker.domain.users import StoreRole
from caseworker.i18n import t
from caseworker.paths import HomePaths
from caseworker.settings import load as load_settings
from caseworker.storage.store import replayed_clock
from caseworker.sync import minisign
from caseworker.sync.bundles import seal
from caseworker.sync.enrolment import EnrolmentRequest
from caseworker.sync.payload import MonthSnapshot, Payload

COORDINATOR_NAME = "İzmir Büyükşehir Belediyesi Kadın Çalışmaları Şube Müdürlüğü"
MONTHS = 24
# Only the last months may still be missing: an older month missed was chased up and came late,
# so that the older quarters are complete and can be published.
OUTSTANDING = 6

# Women aged 15 and over, in thousands (rounded, TÜİK ADNKS 2023 order of magnitude): what makes a
# district's centres busy. Konak draws more than its residents, being the city centre.
_WOMEN = {
    "Aliağa": 40, "Balçova": 33, "Bayındır": 17, "Bayraklı": 125, "Bergama": 45, "Beydağ": 5, "Bornova": 190,
    "Buca": 215, "Çeşme": 20, "Çiğli": 90, "Dikili": 19, "Foça": 14, "Gaziemir": 57, "Güzelbahçe": 17,
    "Karabağlar": 195, "Karaburun": 5, "Karşıyaka": 150, "Kemalpaşa": 46, "Kınık": 12, "Kiraz": 17, "Konak": 190,
    "Menderes": 45, "Menemen": 78, "Narlıdere": 28, "Ödemiş": 56, "Seferihisar": 23, "Selçuk": 15, "Tire": 36,
    "Torbalı": 80, "Urla": 33,
}
# Further centres of the large districts, by neighbourhood (the first centre bears the district's name).
_MORE_CENTRES = {
    "Konak": ("Alsancak", "Güzelyalı"), "Karşıyaka": ("Bostanlı", "Mavişehir"), "Buca": ("Şirinyer", "Kaynaklar"),
    "Bornova": ("Kazımdirik", "Altındağ"), "Karabağlar": ("Üçkuyular",), "Bayraklı": ("Mansuroğlu",), "Çiğli": ("Ataşehir",),
    "Torbalı": ("Ayrancılar",), "Menemen": ("Ulukent",),
}
# The centre that opened in the second year, and so owes no month before it.
_OPENED_LATER = ("Bornova", "Altındağ")
# Seasonal weight of a month's contacts (March and November: the days against violence).
_SEASON = {1: 0.95, 2: 0.95, 3: 1.1, 4: 1.0, 5: 1.0, 6: 0.95, 7: 0.85, 8: 0.85, 9: 1.0, 10: 1.05, 11: 1.15, 12: 1.0}

_AGES = (("0-17", 2), ("18-24", 14), ("25-34", 30), ("35-44", 27), ("45-54", 15), ("55-64", 7), ("65+", 3), ("unknown", 2))
_STATUS = (("citizen", 86), ("temporary_protection", 9), ("international_protection", 3), ("other_foreign", 2))
_SOURCES = (("self", 38), ("alo183", 10), ("sonim", 12), ("police", 12), ("health", 7), ("ngo", 6), ("muhtar", 3),
            ("other_institution", 5), ("family_friends", 7))
_VIOLENCE = (("psychological", 70), ("physical", 45), ("economic", 35), ("sexual", 8), ("digital", 10), ("stalking", 9),
             ("forced_marriage", 2), ("other", 3))
_PERPETRATORS = (("spouse", 55), ("former_spouse", 15), ("partner", 6), ("former_partner", 5), ("family", 12),
                 ("acquaintance", 4), ("stranger", 2), ("unknown", 1))
_REFERRALS = (("legal_aid", 30), ("sonim", 22), ("shelter", 6), ("police", 8), ("health", 8), ("social_services", 14),
              ("employment", 6), ("education", 3), ("childcare", 4), ("psychiatric", 5), ("other", 3))
_SESSIONS = (("psychological", 45), ("social", 35), ("legal", 20))
_EVENTS = ("seminar", "workshop", "training", "campaign")
_POOL_SIZE = 600


@dataclass(frozen=True)
class DemoCentre:
    """One demo centre: who it is, how busy, how it reports, and its signing key."""

    centre_id: str
    name: str
    district: str
    monthly_new: float
    first_month: Period
    habit: str  # "reliable", "late" (often after the deadline) or "patchy" (falls silent for a while)
    key: minisign.SigningKey = field(repr=False)
    reopens: bool = False  # has a month reopened lately and not yet approved again

    def request(self) -> EnrolmentRequest:
        return EnrolmentRequest(self.centre_id, self.name, self.district, self.key.public_key().to_base64())


@dataclass(frozen=True)
class Sending:
    """A bundle as a centre made it: when it arrives (None: lost on the way) and its months."""

    centre: DemoCentre
    sequence: int
    made_at: datetime
    arrives_at: datetime | None
    months: tuple[MonthSnapshot, ...]


@dataclass
class DemoCity:
    """The open coordinator store and the story it was built from, for anyone who checks it."""

    session: Session
    centres: list[DemoCentre]
    sendings: list[Sending]
    first: Period
    last: Period
    seconds: float = 0.0
    # What each centre's months are at the coordinator once every bundle that arrived is in:
    # {centre_id: {period: (status, figures)}}.
    held: dict[str, dict[str, tuple[str, dict[CellKey, int]]]] = field(default_factory=dict)

    @property
    def bundles_imported(self) -> int:
        return sum(1 for s in self.sendings if s.arrives_at is not None)


Progress = Callable[[int, int], None]


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...], k: int = 1) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < k:
        pick = rng.choices([code for code, _ in table], [weight for _, weight in table])[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


class _Contacts:
    """Tallied contacts of both forms, each a set of cells made by the catalogue's tally forms;
    a month draws its contacts from this pool, so that tallying stays fast."""

    def __init__(self, catalogue: Catalogue, rng: random.Random) -> None:
        self.new = [cells_for_contact(catalogue, "new_applicant", self._applicant(rng)) for _ in range(_POOL_SIZE)]
        self.follow = [cells_for_contact(catalogue, "follow_up", {"age": _weighted(rng, _AGES)[0], "session": _weighted(rng, _SESSIONS)[0]})
                       for _ in range(_POOL_SIZE // 4)]

    @staticmethod
    def _applicant(rng: random.Random) -> dict[str, object]:
        return {
            "age": _weighted(rng, _AGES)[0], "status": _weighted(rng, _STATUS)[0], "source": _weighted(rng, _SOURCES)[0],
            "violence": _weighted(rng, _VIOLENCE, rng.choice((1, 1, 2, 2, 3))), "perpetrator": _weighted(rng, _PERPETRATORS),
            "referral": _weighted(rng, _REFERRALS, rng.choice((0, 1, 1, 2))),
            "protective_order": rng.random() < 0.3, "children": rng.random() < 0.55,
        }


def _tally(figures: dict[CellKey, list[int]], contacts: list[list[CellKey]], rng: random.Random, count: int) -> None:
    """Add ``count`` contacts, each with its own record key, as a centre's store does."""
    for _ in range(count):
        record_key = rng.getrandbits(32)
        for cell in rng.choice(contacts):
            held = figures.setdefault(cell, [0, 0])
            held[0] += 1
            held[1] = (held[1] + record_key) % KEY_MODULUS


def _month_figures(centre: DemoCentre, period: Period, first: Period, pool: _Contacts, rng: random.Random) -> dict[CellKey, list[int]]:
    trend = 1.0 + 0.08 * ((period.year - first.year) * 12 + period.month - first.month) / 12
    mean = centre.monthly_new * _SEASON[period.month] * trend
    figures: dict[CellKey, list[int]] = {}
    _tally(figures, pool.new, rng, max(0, round(rng.gauss(mean, mean ** 0.5))))
    _tally(figures, pool.follow, rng, max(0, round(rng.gauss(1.4 * mean, (1.4 * mean) ** 0.5))))
    # Awareness work is entered by hand in the month grid: each figure one fresh key.
    events = rng.choice((0, 1, 1, 2, 3)) if mean > 8 else rng.choice((0, 0, 1))
    for _ in range(events):
        event = rng.choice(_EVENTS)
        for cell, value in ((CellKey.of("AWARENESS_EVENTS", {"event": event}), 1),
                            (CellKey.of("AWARENESS_PARTICIPANTS", {"sex": "women"}), rng.randint(12, 60)),
                            (CellKey.of("AWARENESS_PARTICIPANTS", {"sex": "men"}), rng.randint(0, 12))):
            if value:
                held = figures.setdefault(cell, [0, 0])
                held[0] += value
                held[1] = rng.getrandbits(32)
    if rng.random() < 0.3:
        figures[CellKey("EMPOWERMENT_PARTICIPANTS")] = [rng.randint(4, 18), rng.getrandbits(32)]
    return figures


def _keyed(figures: dict[CellKey, list[int]]) -> dict[CellKey, KeyedCount]:
    return {cell: KeyedCount(value, key) for cell, (value, key) in figures.items() if value}


def plan_centres(rng: random.Random, first: Period) -> list[DemoCentre]:
    """The centres of the 30 districts, one to three each, sized by the district's women."""
    centres = []
    for district in IZMIR_DISTRICTS:
        places = (None, *_MORE_CENTRES.get(district, ()))
        weight = _WOMEN[district] * (1.4 if district == "Konak" else 1.0)
        for index, place in enumerate(places):
            name = f"{district} Kadın Danışma Merkezi" if place is None else f"{place} Kadın Dayanışma Evi"
            share = (0.5 if index == 0 else 0.5 / (len(places) - 1)) if len(places) > 1 else 1.0
            opened_later = (district, place) == _OPENED_LATER
            habit = rng.choices(("reliable", "late", "patchy"), (70, 20, 10))[0]
            centres.append(DemoCentre(
                centre_id=f"{'-'.join(search_key(place or district).split())}-{rng.getrandbits(16):04x}",
                name=name, district=district, monthly_new=3.0 + 0.22 * weight * share,
                first_month=first.plus(14) if opened_later else first, habit=habit, key=minisign.generate_keypair(),
                reopens=len(centres) % 14 == 5,
            ))
    return centres


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59), tzinfo=timezone.utc)


def plan_sendings(centre: DemoCentre, first: Period, last: Period, deadline_day: int, now: datetime, catalogue_version: int,
                  pool: _Contacts, rng: random.Random) -> list[Sending]:
    """Every bundle the centre made, in the order it made them, with the months each carried."""
    events: list[tuple[datetime, str, Period]] = []  # (when, what, month)
    figures: dict[Period, dict[CellKey, list[int]]] = {}
    silent = set()
    if centre.habit == "patchy":
        start = rng.randint(0, max(0, MONTHS - 6))
        silent = {centre.first_month.plus(start + i) for i in range(rng.randint(2, 4))}
    period = centre.first_month
    while period <= last:
        figures[period] = _month_figures(centre, period, first, pool, rng)
        following = period.next().first_day
        late_chance = {"reliable": 0.05, "late": 0.45, "patchy": 0.2}[centre.habit]
        if period in silent or rng.random() < 0.03:
            if period < last.plus(-OUTSTANDING):  # chased up: it came in the end, months late
                back = max(silent) if period in silent else period
                events.append((_moment(back.next().first_day + timedelta(days=deadline_day + rng.randint(15, 60)), rng), "submitted", period))
            period = period.next()
            continue
        if rng.random() < late_chance:
            if rng.random() < 0.4:
                events.append((_moment(following + timedelta(days=rng.randint(1, deadline_day - 2)), rng), "open", period))
            events.append((_moment(following + timedelta(days=deadline_day + rng.randint(2, 40)), rng), "submitted", period))
        else:
            events.append((_moment(following + timedelta(days=rng.randint(0, deadline_day - 2)), rng), "submitted", period))
            if rng.random() < 0.05:
                events.append((_moment(following + timedelta(days=deadline_day + rng.randint(10, 80)), rng), "corrected", period))
        period = period.next()
    events = sorted(event for event in events if event[0] <= now)
    # A month reopened lately and not yet approved again: the grid shows it as reopened.
    latest = {month: when for when, _what, month in events}
    reopenable = [event for event in events if event[1] == "submitted" and event[2] >= last.plus(-4) and latest[event[2]] == event[0]
                  and event[0] + timedelta(days=12) <= now]
    if centre.reopens and reopenable:
        when, _what, month = rng.choice(reopenable)
        events.append((when + timedelta(days=rng.randint(3, 12)), "reopened", month))
    events.sort()
    sendings, basis = [], {}
    for sequence, (when, what, month) in enumerate(events, start=1):
        held = figures[month]
        if what in ("corrected", "reopened"):
            basis.setdefault(month, _keyed(held))
            _tally(held, pool.new, rng, rng.randint(1, 3))  # late figures added after the month was approved
        status = {"corrected": "submitted"}.get(what, what)
        keyed = _keyed(held)
        if status == "submitted":
            basis.setdefault(month, keyed)
        snapshot = MonthSnapshot(str(month), status, catalogue_version, keyed, basis.get(month))
        arrives: datetime | None = when + timedelta(minutes=rng.randint(5, 180))  # the next sync run delivers it
        sendings.append(Sending(centre, sequence, when, arrives, (snapshot,)))
    return sendings


def _lose_one(sendings: list[Sending], last: Period, rng: random.Random) -> None:
    """One bundle of one centre never arrives (a USB stick left in a drawer): a gap in its sequence."""
    recent = str(last.plus(-OUTSTANDING))
    candidates = [index for index, s in enumerate(sendings) if s.sequence > 3 and s.months[0].status == "submitted" and s.months[0].period >= recent
                  and any(o.centre is s.centre and o.sequence > s.sequence for o in sendings)]
    if candidates:
        index = rng.choice(candidates)
        sendings[index] = Sending(sendings[index].centre, sendings[index].sequence, sendings[index].made_at, None, sendings[index].months)


def create_demo_city(home: Path, seed: int = 2026, progress: Progress | None = None, now: datetime | None = None) -> DemoCity:
    """A coordinator's store in ``home`` filled as described above; the session is left open."""
    started = time.perf_counter()
    now = now or datetime.now(timezone.utc)
    rng = random.Random(seed)
    last = Period.of(now.date()).previous()
    first = last.plus(-(MONTHS - 1))
    opened = datetime.combine(first.first_day - timedelta(days=20), datetime.min.time(), timezone.utc) + timedelta(hours=10)
    with replayed_clock(opened):
        session, _ = initialise(home, store_role=StoreRole.COORDINATOR, name=COORDINATOR_NAME, district="",
                                user_name=DEMO_USER, passphrase=DEMO_PASSPHRASE)
    try:
        city = _fill(session, rng, first, last, opened, now, progress)
    except BaseException:
        session.close()
        raise
    city.seconds = time.perf_counter() - started
    return city


def _fill(session: Session, rng: random.Random, first: Period, last: Period, opened: datetime, now: datetime,
          progress: Progress | None) -> DemoCity:
    deadline_day = load_settings(HomePaths(session.home).settings).report_deadline_day
    with replayed_clock(opened):
        recipients = list(sync_keys.profile(session).age_recipients)
        catalogue = catalogue_uc.current(session)
    pool = _Contacts(catalogue, rng)
    centres = plan_centres(rng, first)
    sendings = [s for centre in centres for s in plan_sendings(centre, first, last, deadline_day, now, catalogue.version, pool, rng)]
    _lose_one(sendings, last, rng)
    total, done = len(centres) + len(sendings), 0
    for centre in centres:
        request = centre.request()
        # Enrolled in the first days of its first month, which it then owes.
        enrolled = datetime.combine(centre.first_month.first_day + timedelta(days=rng.randint(0, 6)), datetime.min.time(), timezone.utc)
        with replayed_clock(enrolled + timedelta(hours=rng.randint(9, 16))):
            sync_keys.accept_enrolment(session, request, request.fingerprint)
        done += 1
        if progress:
            progress(done, total)
    previous_hash: dict[str, str | None] = {}
    by_day: dict[date, list[tuple[Sending, bytes]]] = {}
    for sending in sorted(sendings, key=lambda s: (s.centre.centre_id, s.sequence)):
        payload = Payload(uuid.UUID(int=rng.getrandbits(128)).hex, sending.centre.centre_id, sending.sequence,
                          sending.made_at.isoformat(timespec="seconds"), catalogue.version, previous_hash.get(sending.centre.centre_id),
                          sending.months)
        data, previous_hash[sending.centre.centre_id] = seal(payload, sending.centre.key, recipients)
        if sending.arrives_at is None:
            done += 1
        else:
            by_day.setdefault(min(sending.arrives_at, now).date(), []).append((sending, data))
    with tempfile.TemporaryDirectory(prefix="caseworker-demo-bundles-") as folder:
        for day in sorted(by_day):
            arrived = by_day[day]
            batch = Path(folder) / day.isoformat()
            batch.mkdir()
            for sending, data in arrived:
                (batch / f"{sending.centre.centre_id}-{sending.sequence:06d}{sync_import.BUNDLE_SUFFIX}").write_bytes(data)
            # The coordinator imports the shared folder at the end of the working day.
            latest = max(s.arrives_at for s, _ in arrived if s.arrives_at)
            imported_at = min(max(datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(hours=17, minutes=30),
                                  latest + timedelta(minutes=10)), now)
            with replayed_clock(imported_at):
                base = done
                sync_import.import_bundles(session, [batch], progress=(lambda i, _n, base=base: progress(base + i, total)) if progress else None)
            done += len(arrived)
    return DemoCity(session, centres, sendings, first, last, held=_held(sendings))


def _held(sendings: list[Sending]) -> dict[str, dict[str, tuple[str, dict[CellKey, int]]]]:
    """Each centre's months as the newest bundle that arrived left them."""
    held: dict[str, dict[str, tuple[str, dict[CellKey, int]]]] = {}
    for sending in sorted(sendings, key=lambda s: s.sequence):
        if sending.arrives_at is None:
            continue
        for month in sending.months:
            held.setdefault(sending.centre.centre_id, {})[month.period] = (month.status, month.values)
    return held


def summary_line(city: DemoCity) -> str:
    """One line for the terminal: what was built and how long it took."""
    return t("Demo city built in {seconds} s: {centres} centres in {districts} districts, {bundles} bundles imported ({first} to {last}).",
             seconds=f"{city.seconds:.1f}", centres=len(city.centres), districts=len({c.district for c in city.centres}),
             bundles=city.bundles_imported, first=city.first, last=city.last)
