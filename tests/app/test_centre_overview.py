"""A centre's year as the coordinator sees it: on time, late, missing, and months still awaited."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from caseworker.app import centre_overview, sync_import, sync_keys
from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.domain.periods import Period
from caseworker.storage.store import replayed_clock
from caseworker.sync import minisign
from caseworker.sync.bundles import seal
from caseworker.sync.enrolment import EnrolmentRequest
from caseworker.sync.payload import MonthSnapshot, Payload

YEAR = 2025


def _send(coordinator, key, centre_id: str, sequence: int, period: Period, status: str, at: datetime, folder) -> None:
    counts = {CellKey.of("SESSIONS", {"session": "legal"}): KeyedCount(3, 7)}
    payload = Payload(uuid.uuid4().hex, centre_id, sequence, at.isoformat(), 1, None,
                      (MonthSnapshot(str(period), status, 1, counts, counts if status == "submitted" else None),))
    path = folder / f"{centre_id}-{sequence}.cwbundle"
    path.write_bytes(seal(payload, key, list(sync_keys.profile(coordinator).age_recipients))[0])
    with replayed_clock(at):
        assert sync_import.import_bundles(coordinator, [path])[0].status == "imported"


def test_a_month_whose_deadline_is_ahead_is_awaited_not_missing(coordinator, tmp_path):
    key = minisign.generate_keypair()
    request = EnrolmentRequest("urla-0001", "Urla Kadın Danışma Merkezi", "Urla", key.public_key().to_base64())
    with replayed_clock(datetime(YEAR, 1, 2, 9, tzinfo=timezone.utc)):
        sync_keys.accept_enrolment(coordinator, request, request.fingerprint)
    _send(coordinator, key, request.centre_id, 1, Period(YEAR, 1), "submitted", datetime(YEAR, 2, 4, 12, tzinfo=timezone.utc), tmp_path)
    _send(coordinator, key, request.centre_id, 2, Period(YEAR, 3), "open", datetime(YEAR, 4, 8, 12, tzinfo=timezone.utc), tmp_path)

    # On 20 April: January on time, February missing, March received but not submitted (late)
    found = centre_overview.overview(coordinator, YEAR, today=date(YEAR, 4, 20))
    [summary] = found.centres
    assert summary.completeness == centre_overview.Completeness(expected=3, on_time=1, late=1, missing=1, awaited=0)
    assert (summary.last_bundle.sequence, summary.last_bundle.periods) == (2, (str(Period(YEAR, 3)),))
    assert summary.fingerprint == request.fingerprint and summary.district == "Urla"

    # On 5 May April has ended, its deadline (10 May) is ahead: awaited, not missing
    may = centre_overview.overview(coordinator, YEAR, today=date(YEAR, 5, 5)).centres[0].completeness
    assert (may.expected, may.missing, may.awaited) == (4, 1, 1)

    sync_keys.revoke_centre(coordinator, request.centre_id)
    revoked = centre_overview.overview(coordinator, YEAR, today=date(YEAR, 5, 5)).centres[0]
    assert revoked.revoked and revoked.revoked_at and revoked.completeness.on_time == 1  # its months are kept
