"""What the sync tests share: a payload of three months with cell keys and first-submitted figures."""

from __future__ import annotations

from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.sync.payload import MonthSnapshot, Payload

OLDER = CellKey.of("NEW_APPLICANTS", {"age": "65+"})
CHILDREN = CellKey.of("WITH_CHILDREN")
PAYLOAD = Payload(
    bundle_id="0" * 31 + "1", centre_id="konak-ab12", sequence=3, created_at="2026-11-02T10:00:00+00:00",
    catalogue_version=1, previous_hash="a" * 64,
    months=(
        MonthSnapshot("2026-10", "reopened", 1, {OLDER: KeyedCount(2, 77), CHILDREN: KeyedCount(1, 4_000_000_000)},
                      basis={OLDER: KeyedCount(1, 12)}),
        MonthSnapshot("2026-09", "submitted", 1, {OLDER: KeyedCount(3, 5)}, basis={OLDER: KeyedCount(3, 5)}),
        MonthSnapshot("2026-08", "open", 1, {}),
    ),
)
