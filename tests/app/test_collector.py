"""The cyclic garbage collector is held off inside the block and runs again after it as it was:
after an error too, and left off where the program or an outer block had it off."""

from __future__ import annotations

import gc

import pytest

from caseworker.app.collector import collector_paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_off_inside_the_block_and_on_after_it(collector_on):
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # an inner block leaves it off for the outer one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_in_the_block_lets_the_collector_run_again(collector_on):
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a fault while issuing")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
