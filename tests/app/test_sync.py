"""Sync through the use cases: enrolment, export, delivery, import, hostile bundles, reporting."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseworker.app import coordination, sync_import, sync_keys, sync_outbox
from caseworker.app import counts as counts_uc
from caseworker.app import months as months_uc
from caseworker.domain.counts import CellKey, KeyedCount
from caseworker.domain.periods import Period
from caseworker.errors import Conflict, InvalidInput, PermissionDenied
from caseworker.sync import agecrypt, bundle_file, minisign
from caseworker.sync.bundles import seal
from caseworker.sync.payload import MonthSnapshot, Payload, to_bytes
from tests.conftest import PACKAGE_PARENT, PASSPHRASE, enrol, make_centre

SEPTEMBER, OCTOBER = Period(2026, 9), Period(2026, 10)
CONTACT = {"age": "25-34", "status": "citizen", "source": "self", "violence": ["physical"], "children": True}




def _export(centre) -> Path:
    entry = sync_outbox.export_bundle(centre)
    assert entry is not None
    return centre.store.paths.outbox / entry.file_name


def _tally(centre, period=OCTOBER, times=1, answers=CONTACT):
    book = counts_uc.TallyBook(centre)
    for _ in range(times):
        book.record(period, "new_applicant", answers)


def test_fingerprints_must_match(tmp_path, coordinator):
    centre = make_centre(tmp_path, "Buca KDM", "Buca")
    request = sync_keys.enrolment_request(centre)
    with pytest.raises(InvalidInput):
        sync_keys.accept_enrolment(coordinator, request, "0000-0000-0000-0000-0000")
    with pytest.raises(InvalidInput):
        sync_keys.accept_enrolment(coordinator, request, None)
    assert coordination.centres(coordinator) == []
    centre.close()


def test_only_the_right_store_does_each_side(pair):
    centre, coordinator = pair
    with pytest.raises(PermissionDenied):
        sync_keys.profile(centre)
    with pytest.raises(PermissionDenied):
        sync_outbox.export_bundle(coordinator)
    with pytest.raises(PermissionDenied):
        sync_import.import_bundles(centre, [])


def test_export_import_gives_the_centre_figures_exactly(pair):
    centre, coordinator = pair
    _tally(centre, times=3)
    _tally(centre, SEPTEMBER, times=2)
    outcomes = sync_import.import_bundles(coordinator, [_export(centre)])
    assert [(o.status, o.sequence) for o in outcomes] == [("imported", 1)]
    centre_id = sync_keys.keys(centre).centre_id
    for period in (SEPTEMBER, OCTOBER):
        mine = {c: v for c, v in counts_uc.month_counts(centre, period).values.items() if v}
        assert coordination.consolidated(coordinator, period, centre_id=centre_id).values == mine
    assert sync_outbox.export_bundle(centre) is None  # nothing changed since


def test_same_bundle_twice_changes_nothing(pair):
    centre, coordinator = pair
    _tally(centre)
    bundle = _export(centre)
    first = sync_import.import_bundles(coordinator, [bundle])[0]
    second = sync_import.import_bundles(coordinator, [bundle])[0]
    assert (first.status, second.status) == ("imported", "duplicate")
    assert coordination.consolidated(coordinator, OCTOBER).values[CellKey.of("WITH_CHILDREN")] == 1


def test_out_of_order_arrival_ends_in_the_same_state(tmp_path, pair):
    centre, coordinator = pair
    bundles = []
    for times in (1, 2, 3):
        _tally(centre, times=times)
        bundles.append(_export(centre).read_bytes())
    paths = []
    for index, data in enumerate(bundles, start=1):
        path = tmp_path / f"b{index}.cwbundle"
        path.write_bytes(data)
        paths.append(path)
    # 3 before 2 before 1: the newest snapshot wins; the late ones are superseded.
    outcomes = sync_import.import_bundles(coordinator, [paths[2], paths[1], paths[0]])
    assert [o.status for o in outcomes] == ["imported"] * 3
    assert [o.months_superseded for o in outcomes] == [0, 1, 1]
    assert coordination.consolidated(coordinator, OCTOBER).values[CellKey.of("WITH_CHILDREN")] == 6
    assert sync_import.gaps(coordinator) == {}


def test_a_missing_sequence_is_reported_as_a_gap(pair):
    centre, coordinator = pair
    _tally(centre)
    _export(centre)
    _tally(centre)
    third = None
    _export(centre)
    _tally(centre)
    third = _export(centre)
    sync_import.import_bundles(coordinator, [third])
    assert sync_import.gaps(coordinator) == {sync_keys.keys(centre).centre_id: [(1, 2)]}


def _snapshot(coordinator):
    with coordinator.reading() as conn:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("centres", "centre_keys", "centre_months", "centre_counts", "received_bundles")
        }


def _rezip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_hostile_bundles_are_refused_and_change_nothing(tmp_path, pair, coordinator, english):
    centre, _ = pair
    _tally(centre)
    good = _export(centre).read_bytes()
    encrypted, signature = bundle_file.unpack(good)
    centre_id = sync_keys.keys(centre).centre_id
    stranger = minisign.generate_keypair()
    recipient = sync_keys.profile(coordinator).age_recipients[0]

    other = make_centre(tmp_path, "Bornova KDM", "Bornova")
    enrol(other, coordinator)
    _tally(other)
    other_bundle = _export(other).read_bytes()
    other_encrypted, _ = bundle_file.unpack(other_bundle)
    # A valid signature of the Konak centre over Bornova's payload.
    konak_key = sync_keys.signing_key(centre)
    cross = bundle_file.pack(other_encrypted, minisign.sign(konak_key, other_encrypted, f"caseworker-bundle centre={centre_id} sequence=1 bundle={'0' * 32}"))

    def payload_signed_by_centre(payload_bytes: bytes, comment: str) -> bytes:
        data = agecrypt.encrypt(payload_bytes, [recipient])
        return bundle_file.pack(data, minisign.sign(konak_key, data, comment))

    hostile = {
        "forged signature": bundle_file.pack(encrypted, minisign.sign(stranger, encrypted, f"caseworker-bundle centre={centre_id} sequence=1 bundle={'1' * 32}")),
        "missing signature": _rezip([("payload.age", encrypted)]),
        "another centre's payload": cross,
        "tampered payload": bundle_file.pack(encrypted[:-1] + bytes([encrypted[-1] ^ 1]), signature),
        "truncated": good[: len(good) // 2],
        "extra member": _rezip([("payload.age", encrypted), ("payload.age.minisig", signature), ("readme.txt", b"hi")]),
        "not json": payload_signed_by_centre(b"not json at all", f"caseworker-bundle centre={centre_id} sequence=9 bundle={'2' * 32}"),
        "schema violation": payload_signed_by_centre(
            b'{"format":"caseworker-bundle","format_version":1}', f"caseworker-bundle centre={centre_id} sequence=9 bundle={'3' * 32}"
        ),
        "oversize": b"\0" * (bundle_file.MAX_BUNDLE_BYTES + 10),
    }
    other.close()
    sync_import.import_bundles(coordinator, [_write(tmp_path, "other.cwbundle", other_bundle)])
    before = _snapshot(coordinator)
    for name, data in hostile.items():
        outcome = sync_import.import_bundles(coordinator, [_write(tmp_path, f"{name}.cwbundle", data)])[0]
        assert outcome.status == "rejected", name
        assert outcome.reason, name
        assert _snapshot(coordinator) == before, name
    # Unknown centre (never enrolled) and revoked centre.
    sync_keys.revoke_centre(coordinator, centre_id)
    outcome = sync_import.import_bundles(coordinator, [_write(tmp_path, "revoked.cwbundle", good)])[0]
    assert outcome.status == "rejected" and "revoked" in outcome.reason
    log = sync_import.import_log(coordinator)
    assert sum(entry.status == "rejected" for entry in log) == len(hostile) + 1


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_replayed_sequence_with_other_content_is_refused(pair, tmp_path, english):
    centre, coordinator = pair
    _tally(centre)
    first = _export(centre)
    sync_import.import_bundles(coordinator, [first])
    # A second bundle claiming sequence 1 (e.g. a centre store restored from an old backup).
    ident = sync_keys.identity(centre)
    payload = Payload("f" * 32, ident.centre_id, 1, "2026-11-01T00:00:00+00:00", 1, None, (MonthSnapshot("2026-10", "open", 1, {}),))
    data, _ = seal(payload, sync_keys.signing_key(centre), list(sync_keys.profile(coordinator).age_recipients))
    before = _snapshot(coordinator)
    outcome = sync_import.import_bundles(coordinator, [_write(tmp_path, "replay.cwbundle", data)])[0]
    assert outcome.status == "rejected" and "already used" in outcome.reason
    assert _snapshot(coordinator) == before


def _sealed(centre, coordinator, sequence: int, bundle_id: str, months=(MonthSnapshot("2026-10", "open", 1, {}),)) -> bytes:
    """A bundle the centre really signed, with the sequence and id chosen by the test."""
    ident = sync_keys.identity(centre)
    payload = Payload(bundle_id, ident.centre_id, sequence, "2026-11-01T00:00:00+00:00", 1, None, tuple(months))
    return seal(payload, sync_keys.signing_key(centre), list(sync_keys.profile(coordinator).age_recipients))[0]


def test_a_huge_sequence_is_refused_and_the_gap_report_stays_small(pair, tmp_path, english):
    centre, coordinator = pair
    centre_id = sync_keys.keys(centre).centre_id
    first = sync_import.import_bundles(coordinator, [_write(tmp_path, "1.cwbundle", _sealed(centre, coordinator, 1, "a" * 32))])[0]
    assert first.status == "imported"
    before = _snapshot(coordinator)
    huge = sync_import.import_bundles(coordinator, [_write(tmp_path, "huge.cwbundle", _sealed(centre, coordinator, 2**31 - 1, "b" * 32))])[0]
    assert huge.status == "rejected" and f"more than {sync_import.MAX_SEQUENCE_JUMP} above" in huge.reason
    assert _snapshot(coordinator) == before
    # The largest jump allowed is accepted, and its gap is reported as one run, not counted out.
    top = 1 + sync_import.MAX_SEQUENCE_JUMP
    assert sync_import.import_bundles(coordinator, [_write(tmp_path, "top.cwbundle", _sealed(centre, coordinator, top, "c" * 32))])[0].status == "imported"
    assert sync_import.gaps(coordinator) == {centre_id: [(2, top - 1)]}
    assert sync_import.gaps_text([(2, top - 1), (top + 2, top + 2)]) == f"2–{top - 1}, {top + 2}"
    assert coordination.reporting_rate(coordinator, OCTOBER, OCTOBER, deadline_day=10).centres


def test_bundle_identity_is_the_centre_and_the_id(pair, tmp_path, coordinator, english):
    centre, _ = pair
    rogue = make_centre(tmp_path, "Bornova KDM", "Bornova")
    enrol(rogue, coordinator)
    _tally(centre)
    genuine = _export(centre)
    genuine_id = bundle_file.unpack(genuine.read_bytes())[1].decode().split("bundle=")[1][:32]
    # An enrolled centre that read the id in the trusted comment claims it first.
    squat = sync_import.import_bundles(coordinator, [_write(tmp_path, "squat.cwbundle", _sealed(rogue, coordinator, 1, genuine_id))])[0]
    rogue.close()
    assert squat.status == "imported"
    outcome = sync_import.import_bundles(coordinator, [genuine])[0]
    assert outcome.status == "imported"
    assert coordination.consolidated(coordinator, OCTOBER, centre_id=sync_keys.keys(centre).centre_id).values[CellKey.of("WITH_CHILDREN")] == 1
    assert sync_import.import_bundles(coordinator, [genuine])[0].status == "duplicate"
    # The same centre's id on other bytes is not a duplicate: it is refused, with its reason.
    before = _snapshot(coordinator)
    reused = sync_import.import_bundles(coordinator, [_write(tmp_path, "reused.cwbundle", _sealed(centre, coordinator, 2, genuine_id))])[0]
    assert reused.status == "rejected" and "never reused" in reused.reason
    assert _snapshot(coordinator) == before


def test_dry_run_changes_nothing(pair):
    centre, coordinator = pair
    _tally(centre)
    before = _snapshot(coordinator)
    outcome = sync_import.import_bundles(coordinator, [_export(centre)], dry_run=True)[0]
    assert outcome.status == "imported"
    assert _snapshot(coordinator) == before


def test_a_new_key_for_an_enrolled_centre_is_replaced_only_as_its_own_action(tmp_path, pair, english):
    centre, coordinator = pair
    _tally(centre)
    old_bundle = _export(centre).read_bytes()
    old_fingerprint = sync_keys.enrolment_request(centre).fingerprint
    # The laptop was stolen: the centre is set up again and asks to enrol with a new key and the same id.
    request = sync_keys.enrolment_request(centre)
    replacement = type(request)(request.centre_id, request.name, request.district, minisign.generate_keypair().public_key().to_base64())
    with pytest.raises(Conflict, match=old_fingerprint):
        sync_keys.accept_enrolment(coordinator, replacement, replacement.fingerprint)
    assert sync_keys.active_key(coordinator, request.centre_id).fingerprint == old_fingerprint
    outcome = sync_keys.replace_centre_key(coordinator, replacement, replacement.fingerprint)
    assert (outcome.status, outcome.revoked_keys, outcome.old_fingerprint) == ("replaced", 1, old_fingerprint)
    with coordinator.reading() as conn:
        logged = [row for row in conn.execute("SELECT action, subject FROM audit_log") if row[0] == "enrol.replace_key"]
    assert logged == [("enrol.replace_key", f"{request.centre_id} {old_fingerprint} -> {replacement.fingerprint}")]
    rejected = sync_import.import_bundles(coordinator, [_write(tmp_path, "old.cwbundle", old_bundle)])[0]
    assert rejected.status == "rejected" and "revoked" in rejected.reason


def test_a_rogue_centre_cannot_take_over_another_centres_id(tmp_path, pair, english):
    centre, coordinator = pair
    genuine = sync_keys.enrolment_request(centre)
    rogue = make_centre(tmp_path, "Sahte KDM", "Bornova")
    rogue_key = sync_keys.enrolment_request(rogue).signing_public
    rogue.close()
    # The fingerprint covers the id, name and district: a request claiming Konak's id is another fingerprint...
    squatting = type(genuine)(genuine.centre_id, "Sahte KDM", "Bornova", rogue_key)
    assert squatting.fingerprint != genuine.fingerprint
    assert type(genuine)(genuine.centre_id, genuine.name, genuine.district, rogue_key).fingerprint != genuine.fingerprint
    # ...and even confirmed, accepting it does not silently revoke the genuine key.
    with pytest.raises(Conflict):
        sync_keys.accept_enrolment(coordinator, squatting, squatting.fingerprint)
    assert sync_keys.active_key(coordinator, genuine.centre_id).signing_public == genuine.signing_public
    assert [c.name for c in coordination.centres(coordinator)] == ["Konak KDM"]


def test_delivery_failures_keep_the_bundle_and_the_next_run_delivers(tmp_path, pair, english):
    centre, _ = pair
    usb = tmp_path / "usb"
    sync_outbox.add_target(centre, usb)  # not plugged in yet
    _tally(centre)
    report = sync_outbox.run(centre)
    assert report.exported and not report.deliveries[0].delivered and report.waiting == 1
    status = sync_outbox.outbox_status(centre)
    assert any("could not be copied" in reason for reason in status.reasons())
    usb.mkdir()
    # Too early: the backoff waits; later it delivers and the outbox empties.
    assert sync_outbox.deliver(centre) == []
    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    results = sync_outbox.deliver(centre, later)
    assert [r.delivered for r in results] == [True]
    assert [p.name for p in usb.iterdir()] == [report.exported.file_name]
    assert sync_outbox.outbox_status(centre).waiting == []
    assert list(centre.store.paths.outbox.glob("*.cwbundle")) == []


def test_read_only_target_keeps_the_bundle(tmp_path, pair, monkeypatch, english):
    import errno

    from caseworker.storage import atomic

    centre, _ = pair
    target = tmp_path / "readonly"
    target.mkdir()
    sync_outbox.add_target(centre, target)
    _tally(centre)
    sync_outbox.export_bundle(centre)
    real_open = os.open

    def read_only(path, *args, **kwargs):
        if str(path).startswith(str(target)):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "open", read_only)
    result = sync_outbox.deliver(centre)[0]
    monkeypatch.undo()
    assert not result.delivered and "Read-only" in result.error
    assert sync_outbox.outbox_status(centre).waiting


def test_disk_full_target_keeps_the_bundle(tmp_path, pair, monkeypatch, english):
    centre, _ = pair
    target = tmp_path / "full"
    target.mkdir()
    sync_outbox.add_target(centre, target)
    _tally(centre)
    sync_outbox.export_bundle(centre)
    import errno

    from caseworker.storage import atomic

    real_write = os.write

    def full_disk(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "write", full_disk)
    results = sync_outbox.deliver(centre)
    monkeypatch.setattr(atomic.os, "write", real_write)
    assert not results[0].delivered and "space" in results[0].error
    assert list(target.iterdir()) == []
    assert sync_outbox.deliver(centre, datetime.now(timezone.utc) + timedelta(minutes=5))[0].delivered


def test_submitting_a_month_exports_and_delivers_it(tmp_path, pair):
    centre, coordinator = pair
    share = tmp_path / "share"
    share.mkdir()
    sync_outbox.add_target(centre, share)
    _tally(centre, SEPTEMBER)
    months_uc.submit(centre, SEPTEMBER)
    delivered = list(share.glob("*.cwbundle"))
    assert len(delivered) == 1
    sync_import.import_bundles(coordinator, delivered)
    rate = coordination.reporting_rate(coordinator, SEPTEMBER, OCTOBER, deadline_day=10)
    cell = rate.cells[(sync_keys.keys(centre).centre_id, SEPTEMBER)]
    assert cell.expected and cell.received and cell.status == "submitted"
    # Submitted today, long after the 10th of October: received, but late.
    assert not cell.on_time and rate.rate(SEPTEMBER) == (1, 1, 0)
    assert not rate.cells[(sync_keys.keys(centre).centre_id, OCTOBER)].received


def test_interoperability_with_the_reference_tools(tmp_path, pair, coordinator):
    centre, _ = pair
    _tally(centre, times=2)
    bundle = _export(centre)
    work = tmp_path / "check"
    work.mkdir()
    subprocess.run(["unzip", "-q", str(bundle), "-d", str(work)], check=True)
    public = work / "centre.pub"
    public.write_text(minisign.PublicKey.from_base64(sync_keys.keys(centre).signing_public_key).to_minisign_text())
    verified = subprocess.run(["minisign", "-V", "-p", str(public), "-m", str(work / "payload.age")], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stderr
    assert f"centre={sync_keys.keys(centre).centre_id} sequence=1" in verified.stdout
    identity_file = tmp_path / "koord.key"
    sync_keys.export_identity(coordinator, identity_file)
    assert identity_file.stat().st_mode & 0o077 == 0
    decrypted = subprocess.run(["age", "-d", "-i", str(identity_file), str(work / "payload.age")], capture_output=True)
    assert decrypted.returncode == 0, decrypted.stderr
    assert b'"centre_id":"' + sync_keys.keys(centre).centre_id.encode() + b'"' in decrypted.stdout


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_bundles_never_crash_and_are_never_accepted(fuzz_setup, data):
    """Random mutations of a genuine bundle and of each crafted hostile one."""
    coordinator, bases, folder = fuzz_setup
    good = data.draw(st.sampled_from(bases))
    mutated = bytearray(good)
    for _ in range(data.draw(st.integers(1, 8))):
        choice = data.draw(st.integers(0, 2))
        position = data.draw(st.integers(0, len(mutated) - 1))
        if choice == 0:
            mutated[position] ^= data.draw(st.integers(1, 255))
        elif choice == 1:
            del mutated[position : position + data.draw(st.integers(1, 64))]
        else:
            mutated[position:position] = data.draw(st.binary(min_size=1, max_size=32))
    if bytes(mutated) == good:
        return
    path = folder / "fuzz.cwbundle"
    path.write_bytes(bytes(mutated))
    outcome = sync_import.import_bundles(coordinator, [path], dry_run=True)[0]
    assert outcome.status in ("rejected", "duplicate")


def _signed(centre, coordinator, payload: bytes, sequence: int, bundle_id: str, header_lines: bytes = b"") -> bytes:
    """A bundle the centre really signed around ``payload`` (any bytes), with ``header_lines``
    inserted into its age header."""
    encrypted = agecrypt.encrypt(payload, list(sync_keys.profile(coordinator).age_recipients))
    version, rest = encrypted.split(b"\n", 1)
    encrypted = version + b"\n" + header_lines + rest
    comment = f"caseworker-bundle centre={sync_keys.keys(centre).centre_id} sequence={sequence} bundle={bundle_id}"
    return bundle_file.pack(encrypted, minisign.sign(sync_keys.signing_key(centre), encrypted, comment))


@pytest.mark.parametrize(
    ("period", "value", "reason"),
    [("0000-01", 1, "out of range"), ("1999-12", 1, "outside the months"), ("9999-12", 1, "outside the months"),
     ("2026-10", 5.0, "not a count"), ("2026-10", 1e3, "not a count"), ("2026-10", 10**9, "maximum")],
)
def test_bundle_months_and_values_out_of_bounds_are_refused(pair, tmp_path, english, period, value, reason):
    centre, coordinator = pair
    month = MonthSnapshot(period, "open", 1, {CellKey.of("WITH_CHILDREN"): KeyedCount(value, 0)})
    outcome = sync_import.import_bundles(coordinator, [_write(tmp_path, "b.cwbundle", _sealed(centre, coordinator, 1, "a" * 32, (month,)))])[0]
    assert outcome.status == "rejected" and reason in outcome.reason
    assert _snapshot(coordinator)["received_bundles"] == []


def crafted_bundles(centre, coordinator, rogue) -> dict[str, bytes]:
    """The classes of hostile bundle an adversarial review found, each signed by an enrolled centre."""
    centre_id = sync_keys.keys(centre).centre_id
    genuine = Payload("e" * 32, centre_id, 2, "2026-11-01T00:00:00+00:00", 1, None, (MonthSnapshot("2026-10", "open", 1, {}),))
    real = to_bytes(genuine)
    stanza = b"-> X25519 " + b"A" * 43 + b"\n" + b"B" * 43 + b"\n"
    return {
        "huge sequence": _sealed(centre, coordinator, 2**31 - 1, "1" * 32),
        "deep json": _signed(centre, coordinator, b'{"months":' + b"[" * 200_000 + b"]" * 200_000 + b"}", 3, "2" * 32),
        "huge number": _signed(centre, coordinator, real.replace(b'"sequence":2', b'"sequence":' + b"9" * 5_000), 4, "3" * 32),
        "many age stanzas": _signed(centre, coordinator, real, 2, "e" * 32, stanza * 20_000),
        "long header line": _signed(centre, coordinator, real, 2, "e" * 32, b"-> X25519 " + b"A" * 4_000_000 + b"\n"),
        "id squatting": _sealed(rogue, coordinator, 1, "e" * 32),
        "id reuse": _sealed(centre, coordinator, 5, "f" * 32),
    }


def test_crafted_bundles_in_one_batch_are_each_refused_quickly_and_the_batch_goes_on(tmp_path, pair, coordinator, english):
    import tracemalloc

    centre, _ = pair
    rogue = make_centre(tmp_path, "Bornova KDM", "Bornova")
    enrol(rogue, coordinator)
    first = sync_import.import_bundles(coordinator, [_write(tmp_path, "first.cwbundle", _sealed(centre, coordinator, 1, "f" * 32))])[0]
    assert first.status == "imported"
    crafted = crafted_bundles(centre, coordinator, rogue)
    rogue.close()
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, data in crafted.items():
        _write(folder, f"{name}.cwbundle", data)
    before = _snapshot(coordinator)
    for name in crafted:
        if name == "id squatting":
            continue  # another centre's bundle: imported for that centre, without harm to this one
        started = time.process_time()  # the work done, whatever else the machine is doing
        tracemalloc.start()
        outcome = sync_import.import_bundles(coordinator, [folder / f"{name}.cwbundle"])[0]
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert outcome.status == "rejected" and outcome.reason, name
        assert time.process_time() - started < 2, name
        assert peak < 200 * 1024 * 1024, name
        assert _snapshot(coordinator) == before, name
    # All of them in one batch, the genuine bundle among them: every file has an outcome, and
    # the genuine bundle is imported whatever came before it.
    genuine = _write(folder, "m-genuine.cwbundle", _sealed(centre, coordinator, 2, "e" * 32, (MonthSnapshot("2026-10", "open", 1, {CellKey.of("WITH_CHILDREN"): KeyedCount(4, 0)}),)))
    outcomes = sync_import.import_bundles(coordinator, [folder])
    by_file = {o.file: o.status for o in outcomes}
    assert set(by_file) == {f"{name}.cwbundle" for name in crafted} | {genuine.name}
    assert by_file[genuine.name] == "imported" and by_file["id squatting.cwbundle"] == "imported"
    assert [name for name, status in by_file.items() if status == "rejected"] == sorted(f"{n}.cwbundle" for n in crafted if n != "id squatting")
    assert coordination.consolidated(coordinator, OCTOBER, centre_id=sync_keys.keys(centre).centre_id).values == {CellKey.of("WITH_CHILDREN"): 4}


IMPORT_MEASURING_RESIDENT_MEMORY = """
import resource, sys
from pathlib import Path
from caseworker.app import sync_import
from caseworker.app.session import Credentials, unlock
session = unlock(Path(sys.argv[1]), Credentials("koord", sys.argv[2]))
for name in sys.argv[3:]:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome = sync_import.import_bundles(session, [Path(name)])[0]
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(Path(name).stem, outcome.status, (after - before) // 1024)
session.close()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="ru_maxrss is POSIX")
def test_no_crafted_bundle_takes_200_mib_of_resident_memory(tmp_path, pair, coordinator):
    """Resident memory, not only Python's allocations: the age and JSON readers allocate in C and Rust."""
    centre, _ = pair
    rogue = make_centre(tmp_path, "Bornova KDM", "Bornova")
    enrol(rogue, coordinator)
    first = sync_import.import_bundles(coordinator, [_write(tmp_path, "first.cwbundle", _sealed(centre, coordinator, 1, "f" * 32))])[0]
    assert first.status == "imported"  # what "id reuse" reuses
    crafted = crafted_bundles(centre, coordinator, rogue)
    rogue.close()
    files = [str(_write(tmp_path, f"{name.replace(' ', '-')}.cwbundle", data)) for name, data in crafted.items() if name != "id squatting"]
    home = coordinator.home
    coordinator.close()
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_MEASURING_RESIDENT_MEMORY, str(home), PASSPHRASE, *files],
        env={**os.environ, "PYTHONPATH": PACKAGE_PARENT}, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()]
    assert len(rows) == len(files)
    for name, status, grown_mib in rows:
        assert status == "rejected", name
        assert int(grown_mib) < 200, (name, grown_mib)


@pytest.fixture
def fuzz_setup(tmp_path, pair):
    centre, coordinator = pair
    _tally(centre)
    bundle = _export(centre)
    good = bundle.read_bytes()
    sync_import.import_bundles(coordinator, [bundle])
    rogue = make_centre(tmp_path, "Bornova KDM", "Bornova")
    enrol(rogue, coordinator)
    crafted = crafted_bundles(centre, coordinator, rogue)
    rogue.close()
    # The identity classes are genuine bundles of another centre or id: checked on their own above.
    hostile = [data for name, data in crafted.items() if name not in ("id squatting", "id reuse")]
    return coordinator, [good, *hostile], tmp_path


def test_export_needs_a_pinned_profile(tmp_path):
    centre = make_centre(tmp_path, "Tire KDM", "Tire")
    _tally(centre)
    with pytest.raises(Conflict):
        sync_outbox.export_bundle(centre)
    assert sync_outbox.run(centre).exported is None
    centre.close()
