"""Opening one bundle file for the coordinator's import: every check that needs no store.

In the design's order: the file's size, strict ZIP, a signature by a known key, the trusted
comment, decryption, the strict schema, the payload's centre equals the signer's
(``sync.bundles.open_bundle``), then the months a bundle may carry and the indicator codes of the
coordinator's catalogue. The checks that need the store (duplicates, sequence numbers, a key
revoked since the import began) are the importer's, at the moment it stores the bundle.

What a check gives back is plain data that crosses to another process cheaply: a bundle's cells
as rows of strings and numbers, as the store writes them (``CheckedBundle``), or the reason
it was refused (``Refused``). ``BundleChecks`` holds everything the checks need, read once from
the store when the import begins: the coordinator's age identity, the centres' keys, the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from caseworker.domain.catalogue import Catalogue, check_cell
from caseworker.domain.counts import MAX_VALUE, CellKey, KeyedCount
from caseworker.domain.periods import Period
from caseworker.errors import InvalidInput, NotFound
from caseworker.i18n import current_language, set_language, t
from caseworker.storage.cell_rows import CellRow, options_text
from caseworker.sync import bundle_file, minisign
from caseworker.sync.bundles import OpenedBundle, Signer, open_bundle

if TYPE_CHECKING:
    from caseworker.app.session import Session

# The months a bundle may carry: none before Caseworker's first year, none after next month
# (the centre's clock may run a little ahead).
EARLIEST_PERIOD = Period(2000, 1)
MONTHS_AHEAD = 1
# What the checks below may still raise on input no check foresaw: such a file is refused with
# the name of the fault, and the rest of the import goes on.
UNFORESEEN_FAULTS = (ValueError, TypeError, KeyError, IndexError, RecursionError, OverflowError, MemoryError)


@dataclass(frozen=True)
class CheckedMonth:
    period: str
    status: str
    catalogue_version: int
    keyed: bool  # the cell keys are the centre's own (bundle format 2)
    counts: tuple[CellRow, ...]
    basis: tuple[CellRow, ...] | None  # figures as first submitted; the very ``counts`` tuple where they are the same


@dataclass(frozen=True)
class CheckedBundle:
    """A bundle that passed every check that needs no store, with what the store keeps of it."""

    key_id: bytes
    bundle_id: str
    centre_id: str
    sequence: int
    created_at: str
    previous_hash: str | None
    payload_hash: str
    months: tuple[CheckedMonth, ...]


@dataclass(frozen=True)
class Refused:
    reason: str


@dataclass
class BundleChecks:
    identities: list[str]
    signers: dict[bytes, Signer]
    catalogue: Catalogue
    latest: Period
    language: str
    _known_cells: dict[CellKey, tuple[str, str]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, session: Session) -> BundleChecks:
        """What the checks need, as the store holds it now."""
        # Imported here: a worker process that opens bundles (bundle_opening) starts without them.
        from caseworker.app import catalogue as catalogue_uc
        from caseworker.app import coordination
        from caseworker.app.sync_keys import identity

        signers = {}
        for key in coordination.centre_keys(session):
            public = minisign.PublicKey.from_base64(key.signing_public)
            signers[public.key_id] = Signer(key.centre_id, public, key.revoked_at is not None)
        return cls([identity(session).age_identity or ""], signers, catalogue_uc.current(session), Period.current().plus(MONTHS_AHEAD),
                   current_language())

    def speak(self) -> None:
        """Give reasons in the importer's language (in a process of its own)."""
        set_language(self.language)

    def open(self, path: Path) -> CheckedBundle | Refused:
        """The bundle read and checked, or the reason it is refused."""
        try:
            return self._checked(open_bundle(_read(path), self.signers.get, self.identities))
        except InvalidInput as error:
            return Refused(error.message)
        except UNFORESEEN_FAULTS as error:
            return Refused(t("the bundle could not be checked ({fault}); it was refused", fault=type(error).__name__))

    def _checked(self, opened: OpenedBundle) -> CheckedBundle:
        """The bundle as the store keeps it, once its months and cells are found in the catalogue."""
        payload = opened.payload
        if payload.catalogue_version > self.catalogue.version:
            raise InvalidInput(
                t("made with catalogue version {theirs}, newer than the coordinator's ({ours}); import the newer catalogue first",
                  theirs=payload.catalogue_version, ours=self.catalogue.version)
            )
        months = []
        for month in payload.months:
            if not EARLIEST_PERIOD <= Period.parse(month.period) <= self.latest:
                raise InvalidInput(t("month {period} is outside the months a bundle may carry ({first} to {last})",
                                     period=month.period, first=EARLIEST_PERIOD, last=self.latest))
            counts = self._rows(month.period, month.counts)
            basis = None if month.basis is None else counts if month.basis is month.counts else self._rows(month.period, month.basis)
            months.append(CheckedMonth(month.period, month.status, month.catalogue_version, month.keyed, counts, basis))
        return CheckedBundle(opened.key_id, payload.bundle_id, payload.centre_id, payload.sequence, payload.created_at, payload.previous_hash,
                             opened.payload_hash, tuple(months))

    def _rows(self, period: str, cells: Mapping[CellKey, KeyedCount]) -> tuple[CellRow, ...]:
        """The cells with a count, in their stored form, if the catalogue has each cell and each
        value is a count. A cell found once is not looked up again: bundles repeat the same few hundred."""
        known = self._known_cells
        rows = []
        for cell, (value, key) in cells.items():
            stored = known.get(cell)
            if stored is None:
                try:
                    check_cell(self.catalogue, cell.indicator, cell.options)
                except (InvalidInput, NotFound) as error:
                    raise InvalidInput(t("month {period}: {problem}", period=period, problem=error.message)) from None
                stored = known[cell] = (cell.indicator, options_text(cell))
            if type(value) is not int or not 0 <= value <= MAX_VALUE:
                raise InvalidInput(t("month {period}: {value} is not a count (a whole number from 0 to {limit})",
                                     period=period, value=value, limit=MAX_VALUE))
            if value:
                rows.append((stored[0], stored[1], value, key))
        return tuple(rows)


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > bundle_file.MAX_BUNDLE_BYTES:
            raise InvalidInput(t("the file is larger than a bundle can be ({size} bytes)", size=path.stat().st_size))
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(t("the file cannot be read: {reason}", reason=error.strerror or error)) from None
