"""``caseworker --self-test`` checks the installation and reports each part."""

from __future__ import annotations

from caseworker import selftest


def test_every_check_passes_on_this_installation():
    results = selftest.run_checks()
    assert [r for r in results if not r.ok] == []
    assert len(results) == 9


def test_a_failing_check_is_reported(monkeypatch, english):
    def broken() -> str:
        raise RuntimeError("no codec")

    monkeypatch.setattr(selftest, "_sqlcipher", broken)
    results = selftest.run_checks()
    assert not results[0].ok and "no codec" in results[0].detail
    assert all(r.ok for r in results[1:])
    lines = selftest.report_lines(results)
    assert lines[0].startswith("Caseworker ") and "(Python package" in lines[0]
    assert lines[1].startswith("FAIL") and lines[-1].startswith("Self-test FAILED")


def test_self_test_command(cli):
    result = cli("--self-test")
    assert result.code == 0, result.out + result.err
    assert result.out.count("OK ") == 9 and "Self-test passed." in result.out


def test_the_pdf_check_reads_the_turkish_letters_back(monkeypatch, english):
    from reportlab.pdfgen import canvas

    draw = canvas.Canvas.drawString
    # As if the font had lost its Turkish letters: the text reaches the page without them.
    monkeypatch.setattr(canvas.Canvas, "drawString", lambda self, x, y, text: draw(self, x, y, "Izmir Karsiyaka"))
    failed = [r for r in selftest.run_checks() if not r.ok]
    assert [r.name for r in failed] == ["PDF with Turkish letters"]
    assert "reads back as 'Izmir Karsiyaka'" in failed[0].detail


def test_self_test_details_are_in_turkish_in_turkish_mode(cli):
    result = cli("--self-test", "--lang", "tr")
    assert result.code == 0, result.out + result.err
    for english in ("codec", "messages", "indicators", "sample services", "categories", "window", "read back", "printing"):
        assert english not in result.out, english
    assert "katalog sürümü 1, 13 gösterge" in result.out
