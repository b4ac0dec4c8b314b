"""The home page's figures, month step, checklist and the coordinator's city month, read from
real stores."""

from __future__ import annotations

from caseworker.app import counts as counts_uc
from caseworker.app import home_dashboard, sync_import, sync_keys, sync_outbox, users
from caseworker.app import months as months_uc
from caseworker.domain.periods import Period
from caseworker.domain.users import Role
from tests.conftest import PASSPHRASE, enrol, make_centre

NEW = {"age": "25-34", "status": "citizen", "source": "self"}
FOLLOW_UP = {"age": "25-34", "session": "legal"}


def figures(found: home_dashboard.Dashboard) -> dict[str, int]:
    return {figure.indicator: figure.value for figure in found.figures}


def test_the_month_so_far_counts_what_was_recorded_with_a_year_behind_it(centre):
    current = Period.current()
    book = counts_uc.TallyBook(centre.session)
    for _ in range(3):
        book.record(current, "new_applicant", NEW)
    book.record(current, "follow_up", FOLLOW_UP)
    book.record(current.previous(), "new_applicant", NEW)
    found = home_dashboard.dashboard(centre.session)
    assert figures(found) == {"NEW_APPLICANTS": 3, "RETURNING_CLIENTS": 1, "SESSIONS": 1, "AWARENESS_EVENTS": 0}
    new = found.figures[0]
    assert len(new.history) == 12 and new.history[-1] == 3 and new.history[-2] == 1
    assert new.history[:-2] == [None] * 10  # months the store holds nothing for


def test_the_next_step_moves_from_approve_to_send_to_reopen(tmp_path, coordinator):
    centre = make_centre(tmp_path, "Buca KDM", "Buca")
    previous = Period.current().previous()
    counts_uc.TallyBook(centre).record(previous, "new_applicant", NEW)
    step = home_dashboard.dashboard(centre).month_step
    assert (step.period, step.status, step.action.step) == (previous, "open", "submit")

    enrol(centre, coordinator)
    months_uc.submit(centre, previous)  # no delivery folder yet: the bundle waits
    step = home_dashboard.dashboard(centre).month_step
    assert (step.status, step.action.step, step.action.page) == ("submitted", "send", "sync")
    assert home_dashboard.dashboard(centre).last_sent is None

    folder = tmp_path / "delivery"
    folder.mkdir()
    sync_outbox.add_target(centre, folder)
    sync_outbox.run(centre)
    found = home_dashboard.dashboard(centre)
    assert found.month_step.action.step == "reopen"
    assert found.last_sent is not None and found.last_sent.where == str(folder.absolute())
    centre.close()


def test_a_caseworker_is_told_a_supervisor_approves(centre):
    users.add_user(centre.session, "zehra", Role.CASEWORKER, PASSPHRASE)
    from caseworker.app.session import Credentials, unlock

    centre.session.close()
    with unlock(centre.home, Credentials("zehra", PASSPHRASE)) as session:
        found = home_dashboard.dashboard(session)
        assert found.month_step.action is None and found.checklist == []


def test_the_checklist_ticks_itself_from_the_store(tmp_path, coordinator):
    centre = make_centre(tmp_path, "Bornova KDM", "Bornova")

    def done() -> dict[str, bool]:
        return {item.key: item.done for item in home_dashboard.dashboard(centre).checklist}

    assert done() == dict.fromkeys(("recovery-key", "users", "enrolment", "profile", "delivery"), False)
    home_dashboard.keep_recovery_key(centre)
    home_dashboard.keep_recovery_key(centre)  # said twice, recorded once
    users.add_user(centre, "zehra", Role.CASEWORKER, PASSPHRASE)
    sync_keys.write_enrolment_request(centre, tmp_path / "request.json")
    assert done() == {"recovery-key": True, "users": True, "enrolment": True, "profile": False, "delivery": False}
    enrol(centre, coordinator)
    sync_outbox.add_target(centre, tmp_path)
    found = home_dashboard.dashboard(centre)
    assert found.checklist_done and not found.attention
    centre.close()


def test_the_coordinator_sees_the_city_month_and_the_late_centres(tmp_path, coordinator):
    previous = Period.current().previous()
    konak, buca = make_centre(tmp_path, "Konak KDM", "Konak"), make_centre(tmp_path, "Buca KDM", "Buca")
    for centre in (konak, buca):
        enrol(centre, coordinator)
    # Enrolled today, so the month that ended is expected only from a centre that sent it anyway.
    counts_uc.TallyBook(konak).record(previous, "new_applicant", NEW)
    months_uc.submit(konak, previous)  # exports the bundle at once
    waiting = sync_outbox.outbox_status(konak).waiting[0]
    sync_import.import_bundles(coordinator, [konak.store.paths.outbox / waiting.file_name])
    found = home_dashboard.dashboard(coordinator)
    assert found.city is not None and found.city.period == previous
    assert (found.city.expected, found.city.received) == (1, 1) and found.city.late == []
    assert figures(found)["NEW_APPLICANTS"] == 1 and found.figures[0].history[-1] == 1
    assert "2 merkez" in found.people

    # A month later, this month has ended: both centres were enrolled before its end, none sent it.
    later = Period.current().next().first_day
    found = home_dashboard.dashboard(coordinator, today=later)
    assert found.city.period == Period.current() and (found.city.expected, found.city.received) == (2, 0)
    assert sorted(found.city.late) == ["Buca KDM (Buca)", "Konak KDM (Konak)"]
    assert any(item.action and item.action.page == "centres" for item in found.attention)
    for centre in (konak, buca):
        centre.close()
