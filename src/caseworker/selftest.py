"""``caseworker --self-test``: check that this installation has every part it needs.

Nothing here touches a real store: each check works in memory or in a temporary folder that is
removed afterwards. One line per check; the command fails if any check fails.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from caseworker.i18n import t, tn

TURKISH_SAMPLE = "İzmir Karşıyaka Çiğli Güzelbahçe ĞÜŞİÖÇ ğüşıöç"


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def _sqlcipher() -> str:
    from caseworker.storage import database

    version = database.check_build()
    with tempfile.TemporaryDirectory() as folder:
        conn = database.connect(Path(folder) / "probe.db", os.urandom(32))
        conn.execute("CREATE TABLE probe (text TEXT)")
        conn.execute("INSERT INTO probe VALUES (?)", (TURKISH_SAMPLE,))
        conn.close()
        if TURKISH_SAMPLE.encode("utf-8") in (Path(folder) / "probe.db").read_bytes():
            raise RuntimeError(t("the database file holds plaintext"))
    return t("SQLCipher {version}, encryption and full-text search (FTS5)", version=version)


def _key_slots() -> str:
    from caseworker.storage.keyslots import KdfParams, create_slot, new_authority, open_secret, unwrap_database_keys

    private, _ = new_authority()
    key = os.urandom(32)
    slot = create_slot(store_id="probe", slot_id="probe", kind="recovery", user_tag=None, passphrase="probe passphrase",
                       authority_private=private, database_key=key, generation=0, kdf=KdfParams())
    if unwrap_database_keys(slot, open_secret(slot, "probe passphrase")) != [(0, key)]:
        raise RuntimeError(t("the key did not come back"))
    return "Argon2id + X25519 + ChaCha20-Poly1305"


def _age_and_signatures() -> str:
    from caseworker.sync import agecrypt, minisign

    identity, recipient = agecrypt.generate_identity()
    if agecrypt.decrypt(agecrypt.encrypt(TURKISH_SAMPLE.encode(), [recipient]), [identity]) != TURKISH_SAMPLE.encode():
        raise RuntimeError(t("age round trip failed"))
    key = minisign.generate_keypair()
    signature = minisign.sign(key, b"probe", "caseworker self-test")
    if minisign.verify(key.public_key(), b"probe", signature) != "caseworker self-test":
        raise RuntimeError(t("signature round trip failed"))
    return "age v1 X25519, minisign Ed25519"


def _pdf() -> str:
    import pypdfium2 as pdfium
    from reportlab.pdfgen import canvas

    from caseworker.reports import fonts

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "probe.pdf"
        name = fonts.register().regular
        page = canvas.Canvas(str(target))
        page.setFont(name, 12)
        page.drawString(72, 720, TURKISH_SAMPLE)
        page.save()
        document = pdfium.PdfDocument(target.read_bytes())
        try:
            text = document[0].get_textpage().get_text_range()
            bitmap = document[0].render(scale=0.5)
            inked = any(byte != 0xFF for byte in bytes(bitmap.buffer))
        finally:
            document.close()
    if text.strip() != TURKISH_SAMPLE:
        raise RuntimeError(t("the PDF reads back as {text}", text=repr(text.strip())))
    if not inked:
        raise RuntimeError(t("the PDF page renders blank"))
    return t("reportlab with the font {font}, read back and drawn by PDFium", font=name)


def _translations() -> str:
    from caseworker import i18n

    entries = i18n.catalogue()
    missing = [msgid for msgid, texts in entries.items() if not texts.get("tr")]
    if missing:
        raise RuntimeError(t("{count} messages without Turkish", count=len(missing)))
    return tn(len(entries), "{count} message, in Turkish and English", "{count} messages, in Turkish and English")


def _catalogue() -> str:
    from caseworker.domain.catalogue import load_default_catalogue

    catalogue = load_default_catalogue()
    return tn(len(catalogue.indicators), "catalogue version {version}, {count} indicator", "catalogue version {version}, {count} indicators", version=catalogue.version)


def _sample_directory() -> str:
    from caseworker.domain.taxonomy import support_taxonomy
    from caseworker.hsds.files import load_sample_directory

    directory = load_sample_directory()
    return t("{services} sample services, {categories} categories", services=len(directory.services), categories=len(support_taxonomy().terms))


def _second_process() -> str:
    from caseworker.app.bundle_opening import second_process_answers

    cores = second_process_answers()
    if cores is None:
        raise RuntimeError(t("the second process did not answer"))
    return t("a second process of Caseworker started and answered ({cores} processor cores)", cores=cores)


def _desktop_interface() -> str:
    from caseworker.ui.self_check import check_desktop_interface

    return check_desktop_interface()


def installation() -> str:
    """One line saying which Caseworker this is and where it runs from."""
    import platform
    import sys

    from caseworker import __version__

    kind = t("frozen build") if getattr(sys, "frozen", False) else t("Python package")
    location = Path(sys.executable if getattr(sys, "frozen", False) else __file__).resolve().parent
    return f"Caseworker {__version__} ({kind}, Python {platform.python_version()}, {platform.system()}) — {location}"


def checks() -> list[tuple[str, Callable[[], str]]]:
    """Each check with its name in the current language."""
    return [
        (t("encrypted database"), _sqlcipher),
        (t("key slots"), _key_slots),
        (t("encryption and signatures of bundles"), _age_and_signatures),
        (t("PDF with Turkish letters"), _pdf),
        (t("translations"), _translations),
        (t("indicator catalogue"), _catalogue),
        (t("sample directory"), _sample_directory),
        (t("second process for large imports"), _second_process),
        (t("desktop interface"), _desktop_interface),
    ]


def run_checks() -> list[CheckResult]:
    results = []
    for name, check in checks():
        try:
            results.append(CheckResult(name, True, check()))
        except Exception as error:  # a self-test reports every failure, whatever it is
            results.append(CheckResult(name, False, f"{type(error).__name__}: {error}"))
    return results


def report_lines(results: list[CheckResult]) -> list[str]:
    return [installation()] + [f"{'OK  ' if r.ok else 'FAIL'} {r.name}: {r.detail}" for r in results] + [
        t("Self-test passed.") if all(r.ok for r in results) else t("Self-test FAILED: see the lines marked FAIL.")
    ]
