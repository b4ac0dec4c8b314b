"""The visual language: text contrast of every colour pair of the style (WCAG 2.1 AA), the style
applied to the whole application, dark and light palettes, button roles and the sidebar's icons."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from caseworker.paths import resource
from caseworker.ui import design
from caseworker.ui.application import application
from caseworker.ui.main_window import page_specs
from tests.conftest import PACKAGE_PARENT

AA_TEXT = 4.5


@pytest.fixture
def app(qapp):
    return application()


def test_contrast_ratio_follows_wcag():
    assert design.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert design.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert design.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss


@pytest.mark.parametrize("palette", [design.LIGHT, design.DARK], ids=["light", "dark"])
def test_every_text_colour_pair_of_the_style_meets_aa(palette):
    failing = [(name, round(design.contrast_ratio(fg, bg), 2)) for name, fg, bg in design.text_pairs(palette)
               if design.contrast_ratio(fg, bg) < AA_TEXT]
    assert failing == []


@pytest.mark.parametrize("palette", [design.LIGHT, design.DARK], ids=["light", "dark"])
def test_every_colour_in_the_style_sheet_comes_from_the_palette(palette):
    colours = set(re.findall(r"#[0-9a-fA-F]{6}", design.style_sheet(palette)))
    assert colours <= set(vars(palette).values())
    # and every text pair the sheet draws is among those checked for contrast
    checked = {(fg, bg) for _name, fg, bg in design.text_pairs(palette)}
    assert (palette.on_accent, palette.accent) in checked and (palette.text, palette.surface) in checked


def test_the_accent_is_the_purple_of_the_icon():
    icon = resource("icons", "caseworker.svg").read_text(encoding="utf-8")
    assert design.LIGHT.accent in icon


SWITCH = """
from caseworker.ui import design
from caseworker.ui.application import application
app = application()
print(app.property("caseworker_palette"), app.property("caseworker_fusion"))
design.apply(app, design.DARK)
print(design.DARK.window in app.styleSheet(), design.active_palette() is design.DARK, app.palette().window().color().name())
design.apply(app, design.LIGHT)
print(design.LIGHT.window in app.styleSheet(), app.palette().base().color().name())
design.apply(app, None)
print(repr(app.styleSheet()))
"""


def test_the_application_gets_the_style_and_follows_a_dark_scheme():
    # In a process of its own: a style change re-polishes every widget the process still holds.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=PACKAGE_PARENT)
    done = subprocess.run([sys.executable, "-c", SWITCH], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:4] == [
        "light True",  # offscreen, the system's scheme is unknown: light, drawn by Fusion
        f"True True {design.DARK.window}",
        f"True {design.LIGHT.surface}",
        "''",  # high-contrast mode: the system's colours, untouched
    ]


def test_button_roles_and_tones_change_how_a_widget_is_drawn(qtbot, app):
    plain, primary = QPushButton("A"), design.set_role(QPushButton("A"), "primary")
    for button in (plain, primary):
        qtbot.addWidget(button)
        button.resize(120, 40)
        button.show()
    QApplication.processEvents()
    centre = (60, 20)
    assert plain.grab().toImage().pixelColor(*centre).name() != primary.grab().toImage().pixelColor(*centre).name()
    assert primary.grab().toImage().pixelColor(4, 20).name() == design.LIGHT.accent
    with pytest.raises(ValueError):
        design.set_role(QPushButton(), "shiny")
    label = QLabel("x")
    design.set_tone(label, "error")
    assert label.property("tone") == "error"


def test_every_built_in_page_has_its_own_icon():
    for spec in page_specs():
        assert resource("icons", "nav", f"{spec.icon or spec.key}.svg").is_file(), spec.key
