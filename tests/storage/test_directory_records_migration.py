"""Migration 10 indexes the records every stored directory entry holds, so that a change to one
entry is checked against the others without reading the whole directory. A store from before it
(its directory tables as migration 3 made them, nothing else changed since) gets the records of
what it holds, the same rows Caseworker writes itself, and its entries are then checked."""

from __future__ import annotations

import pytest

from caseworker.app import directory as directory_uc
from caseworker.app.session import unlock
from caseworker.domain.directory import Organization, Phone, Service
from caseworker.errors import InvalidInput
from caseworker.storage import directory as directory_repo
from caseworker.storage import migrations
from tests.hsds.samples import rich_directory
from tests.storage.conftest import undo_migrations_from_13

RECORDS = "SELECT kind, id, owner_kind, owner_id, holder_kind, holder_id, document FROM directory_records ORDER BY 1, 2, 3, 4, 5, 6"


def _as_before_migration_10(session) -> None:
    """Take the store back to the schema before migration 10, keeping its directory (and undo the later ones)."""
    with session.transaction() as conn:
        undo_migrations_from_13(conn)
        conn.execute("DROP INDEX centre_counts_by_period")
        conn.execute("CREATE INDEX centre_counts_by_period ON centre_counts (period, indicator, options, centre_id, value)")
        conn.execute("ALTER TABLE centre_months DROP COLUMN basis_in_counts")
        conn.execute("DELETE FROM schema_migrations WHERE number IN (11, 12)")
        conn.execute("DROP TABLE directory_records")
        conn.execute("DROP INDEX directory_services_position")
        conn.execute("DROP INDEX directory_search_keys_name")
        conn.execute("DELETE FROM schema_migrations WHERE number = 10")
    assert session.store.schema_version() == 9


def test_an_older_store_gets_the_records_of_its_entries_and_they_are_checked(centre, english):
    with centre.session.transaction() as conn:
        directory_repo.save(conn, rich_directory(), "2026-01-01T00:00:00+00:00")
    directory_uc.load_sample(centre.session)
    with centre.session.reading() as conn:
        written = conn.execute(RECORDS).fetchall()
        held = directory_repo.load(conn)
    assert len(written) > 20 and {row[0] for row in written} >= {"phone", "location", "address", "schedule", "language"}
    _as_before_migration_10(centre.session)
    centre.session.close()

    with unlock(centre.home, centre.credentials()) as session:
        assert session.store.schema_version() == migrations.latest_version() >= 10
        with session.reading() as conn:
            assert conn.execute(RECORDS).fetchall() == written
            assert directory_repo.load(conn) == held
        phone = next(service.phones[0] for service in held.services if service.phones and service.source == "local")
        organization = Organization(directory_uc.new_id(), "Yeni Dernek")
        taken = Service(directory_uc.new_id(), organization.id, "Yeni Nokta", phones=(Phone(phone.id, "0 232 999 99 99"),))
        with pytest.raises(InvalidInput, match="Two different phone records share the id"):
            directory_uc.add(session, taken, organization)
        added = directory_uc.add(session, Service(directory_uc.new_id(), organization.id, "Yeni Nokta", phones=(Phone(directory_uc.new_id(), "0 232 999 99 99"),)), organization)
        assert [hit.id for hit in directory_uc.search(session, "yeni nokta")] == [added.service.id]
