"""Text from a file, a bundle or another person is shown as plain text, never as markup.

A name such as ``<br>``-laid fake fingerprint followed by an unterminated ``<!--`` once showed a
fake fingerprint in the enrolment confirmation and hid the real one. Every dialog that shows
such text is fed markup here and must print it literally.
"""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

import caseworker.ui
from caseworker.app import sync_keys
from caseworker.ui.application import application
from tests.conftest import make_centre
from tests.ui.dialogs import answer_fingerprint_dialogs, record_message_boxes, sync_sections

FAKE = "1111-2222-3333-4444-5555"
MARKUP = f"<b>Konak</b><br><br><span style='font-size:40px'>{FAKE}</span><!--"
UI = Path(caseworker.ui.__file__).resolve().parent


@pytest.fixture
def app(qapp):
    return application()


def _labels_showing(widget, text: str) -> list[QLabel]:
    return [label for label in widget.findChildren(QLabel) if text in label.text()]


def _assert_literal(widget, text: str) -> None:
    labels = _labels_showing(widget, text)
    assert labels, f"{text!r} is not shown at all"
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)


def test_nothing_in_the_interface_makes_a_label_or_message_box_another_way():
    offenders = []
    for path in UI.rglob("*.py"):
        if path.name == "common.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            called = node.func
            if isinstance(called, ast.Name) and called.id in ("QLabel", "QMessageBox"):
                offenders.append(f"{path.name}:{node.lineno} {called.id}(...)")
            if isinstance(called, ast.Attribute) and isinstance(called.value, ast.Name) and called.value.id == "QMessageBox":
                offenders.append(f"{path.name}:{node.lineno} QMessageBox.{called.attr}(...)")
            if isinstance(called, ast.Attribute) and called.attr == "setTextFormat":
                offenders.append(f"{path.name}:{node.lineno} setTextFormat")
    assert offenders == []


def test_markup_from_files_is_printed_literally_in_every_dialog(qtbot, app, tmp_path, coordinator, monkeypatch):
    boxes = record_message_boxes(monkeypatch)
    chosen = {}
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(tmp_path / chosen["next"]), ""))
    centre = make_centre(tmp_path, "Konak KDM", "Konak")
    at_centre, at_coordinator = sync_sections(qtbot, centre, coordinator)

    def click(button, file_name: str) -> None:
        chosen["next"] = file_name
        count = len(boxes)
        button.click()
        qtbot.waitUntil(lambda: len(boxes) > count, timeout=10_000)

    # Enrolment: the request's name and district are markup.
    request = replace(sync_keys.enrolment_request(centre), name=MARKUP, district=MARKUP)
    (tmp_path / "request.json").write_bytes(request.to_bytes())
    dialogs = answer_fingerprint_dialogs(monkeypatch, lambda dialog: request.fingerprint)
    click(at_coordinator.accept_button, "request.json")
    dialog = dialogs[-1]
    _assert_literal(dialog, MARKUP)
    dialog.layout().activate()
    choices_bottom = max(choice.geometry().bottom() for choice in dialog.choices)
    assert all(label.geometry().top() > choices_bottom for label in _labels_showing(dialog, MARKUP)), "the fingerprints come first"
    assert FAKE not in [choice.text() for choice in dialog.choices]
    kind, text = boxes[-1]
    assert kind == "information" and MARKUP in text and boxes.boxes[-1].textFormat() == Qt.TextFormat.PlainText

    # A request whose centre id is markup is refused: the reason quotes it, literally.
    bad = {**json.loads(request.to_bytes()), "centre_id": "<i>x</i>"}
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    click(at_coordinator.accept_button, "bad.json")
    kind, text = boxes[-1]
    assert kind == "warning" and "<i>x</i>" in text and boxes.boxes[-1].textFormat() == Qt.TextFormat.PlainText

    # Pinning a profile whose name is markup, then replacing it by another: the dialog, its
    # warning naming the pinned coordinator, the result and the Sync page's line.
    profile = replace(sync_keys.profile(coordinator), name=MARKUP)
    (tmp_path / "profile.json").write_bytes(profile.to_bytes())
    dialogs = answer_fingerprint_dialogs(monkeypatch, lambda dialog: profile.fingerprint)
    click(at_centre.profile_import_button, "profile.json")
    _assert_literal(dialogs[-1], MARKUP)
    assert MARKUP in boxes[-1][1] and boxes.boxes[-1].textFormat() == Qt.TextFormat.PlainText
    _assert_literal(at_centre, MARKUP)
    other = make_centre(tmp_path, "Bornova KDM", "Bornova")  # any other key will do for a replacement
    replacement = replace(profile, name="Yeni Birim", signing_public=sync_keys.enrolment_request(other).signing_public)
    other.close()
    (tmp_path / "replacement.json").write_bytes(replacement.to_bytes())
    dialogs = answer_fingerprint_dialogs(monkeypatch, lambda dialog: None)
    chosen["next"] = "replacement.json"
    at_centre.profile_import_button.click()
    qtbot.waitUntil(lambda: bool(dialogs), timeout=10_000)
    _assert_literal(dialogs[-1], MARKUP)
    centre.close()


def test_message_boxes_and_labels_are_plain(qtbot, app):
    from caseworker.ui.common import message, note, plain_label

    box = message(None, QMessageBox.Icon.Warning, "t", MARKUP)
    assert box.textFormat() == Qt.TextFormat.PlainText and box.text() == MARKUP
    for label in (plain_label(MARKUP), note(MARKUP)):
        assert label.textFormat() == Qt.TextFormat.PlainText and label.text() == MARKUP
