"""``caseworker --self-test`` checks the installation and reports each part."""

from __future__ import annotations

from caseworker import selftest


def test_every_check_passes_on_this_installation():
    results = selftest.run_checks()
    assert [r for r in results if not r.ok] == []
    assert len(results) == 6


def test_a_failing_check_is_reported(monkeypatch, english):
    def broken() -> str:
        raise RuntimeError("no codec")

    monkeypatch.setattr(selftest, "_sqlcipher", broken)
    results = selftest.run_checks()
    assert not results[0].ok and "no codec" in results[0].detail
    assert all(r.ok for r in results[1:])
    lines = selftest.report_lines(results)
    assert lines[0].startswith("FAIL") and lines[-1].startswith("Self-test FAILED")


def test_self_test_command(cli):
    result = cli("--self-test")
    assert result.code == 0, result.out + result.err
    assert result.out.count("OK ") == 6 and "Self-test passed." in result.out
