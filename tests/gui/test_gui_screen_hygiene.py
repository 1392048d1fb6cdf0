"""Screen and memory hygiene (reliability plan T35): the verdict shows the result, then the
holder's name and date of birth and nothing of their health record; once the screen clears,
nothing about the person is left in the window, and no history of people exists anywhere in it.

The checks walk everything reachable from the window's Python objects and read every widget's
text, so they would find a name kept in a forgotten attribute, a list of past verdicts or a
label that was never cleared.
"""

from __future__ import annotations

import json
import secrets
import string
from collections import deque
from dataclasses import fields, is_dataclass
from datetime import timedelta
from pathlib import Path
from types import FunctionType, MethodType, ModuleType
from typing import Any

import pytest
from gui_helpers import demo_pass
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from gui.i18n import tr
from gui.texts import Text
from station.issuer import dcc as dcc_issuer
from station.issuer.dcc import issue_dcc, vaccination_payload

pytest_plugins = ["gui_fixtures"]

VALUESETS = Path(__file__).resolve().parents[2] / "station" / "data" / "eu-dcc-valuesets"
MAX_OBJECTS = 300_000


def canary_name() -> str:
    """A family name found nowhere else (letters only: the schema's ICAO form allows no digits)."""
    return "ZZCANARY" + "".join(secrets.choice(string.ascii_uppercase) for _ in range(8))


def reachable_texts(root: object) -> list[str]:
    """Every string reachable from `root` through attributes, containers, dataclass fields,
    closures and bound methods (modules and classes excluded), plus every widget's text."""
    found: list[str] = []
    seen: set[int] = set()
    queue: deque[object] = deque([root])
    while queue and len(seen) < MAX_OBJECTS:
        item = queue.popleft()
        if id(item) in seen or isinstance(item, ModuleType | type):
            continue
        seen.add(id(item))
        if isinstance(item, str):
            found.append(item)
            continue
        if isinstance(item, bytes | bytearray):
            found.append(bytes(item).decode("utf-8", "replace"))
            continue
        queue.extend(_children(item))
    return found


def _children(item: object) -> list[object]:
    if isinstance(item, dict):
        return [*item.keys(), *item.values()]
    if isinstance(item, list | tuple | set | frozenset | deque):
        return list(item)
    if isinstance(item, Text):
        return [tr(item)]
    children: list[object] = []
    if isinstance(item, MethodType):
        children.append(item.__self__)
    if isinstance(item, FunctionType) and item.__closure__:
        children += [cell.cell_contents for cell in item.__closure__ if _filled(cell)]
    if is_dataclass(item):
        children += [getattr(item, field.name, None) for field in fields(item)]
    children += list(getattr(item, "__dict__", {}).values())
    for slot in getattr(type(item), "__slots__", ()):
        children.append(getattr(item, slot, None))
    if isinstance(item, QWidget):
        children += item.findChildren(QWidget)
        children += _widget_texts(item)
    return children


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
    except ValueError:
        return False
    return True


def _widget_texts(widget: QWidget) -> list[str]:
    texts = [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
    for reader in ("text", "placeholderText", "windowTitle", "currentText", "toPlainText"):
        method = getattr(widget, reader, None)
        if callable(method):
            try:
                value = method()
            except TypeError:
                continue
            if isinstance(value, str):
                texts.append(value)
    return texts


def containing(texts: list[str], needle: str) -> list[str]:
    return [text for text in texts if needle.casefold() in text.casefold()]


def display_names(valueset: str, code: str) -> list[str]:
    entry = json.loads((VALUESETS / f"{valueset}.json").read_text(encoding="utf-8"))
    return [entry["valueSetValues"][code]["display"]]


def issued(demo_set, payload: dict[str, Any], signer: str = "es256") -> str:
    now = demo_set.now
    key = getattr(demo_set.authority, signer)
    return issue_dcc(
        key, payload, issued_at=now - timedelta(days=30), expires=now + timedelta(days=300)
    )


def health_details(payload: dict[str, Any]) -> list[str]:
    """What a pass says about its holder's health: codes, free text and their display names."""
    details: list[str] = []
    for entry in payload.get("v", []):
        details += [
            entry["mp"],
            entry["ma"],
            entry["ci"],
            entry["dt"],
            f"{entry['dn']}/{entry['sd']}",
        ]
        details += ["dose"]
        details += display_names("vaccine-medicinal-product", entry["mp"])
        details += display_names("vaccine-mah-manf", entry["ma"])
        details += display_names("vaccine-prophylaxis", entry["vp"])
    for entry in payload.get("t", []):
        details += [entry["tt"], entry["tr"], entry["tc"], entry["ci"], entry["sc"][:10]]
        details += display_names("test-type", entry["tt"])
        details += display_names("test-result", entry["tr"])
    return details


@pytest.mark.parametrize("kind", ["vaccination", "test"])
def test_the_verdict_shows_who_but_nothing_of_their_health(
    start_station, demo_set, kind: str
) -> None:
    name = canary_name()
    make = vaccination_payload if kind == "vaccination" else dcc_issuer.test_payload
    payload = make(family=name, given="Hygiene", dob="1931-02-28")
    running = start_station(verdict_seconds=60)
    running.window.submit_text(issued(demo_set, payload), "paste")
    view = running.wait_verdict()
    assert tr(view.word) == "VALID"
    on_screen = running.window.verdict.shown_texts()
    assert containing(on_screen, name), "the walk must see the name the guard compares"
    assert "Date of birth: 28/02/1931" in on_screen
    shown = on_screen + reachable_texts(view)
    for detail in health_details(payload):
        assert not containing(shown, detail), f"health detail on screen: {detail!r}"


def test_nothing_of_the_person_stays_in_the_window_once_the_screen_clears(
    start_station, demo_set, qtbot
) -> None:
    name = canary_name()
    running = start_station(verdict_seconds=60, kiosk=False, size=(1280, 800))
    window = running.window
    payload = vaccination_payload(family=name, given="Hygiene", dob="1931-02-28")
    window.submit_text(issued(demo_set, payload), "paste")
    running.wait_verdict()
    assert containing(reachable_texts(window), name), "the walk must find the name while shown"
    qtbot.mouseClick(window.verdict, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.scan
    left = reachable_texts(window)
    assert not containing(left, name)
    assert not containing(left, "28/02/1931") and not containing(left, "1931-02-28")


def test_a_verdict_that_clears_by_itself_leaves_nothing_either(
    start_station, demo_set, qtbot
) -> None:
    name = canary_name()
    running = start_station(verdict_seconds=1)
    window = running.window
    window.submit_text(
        issued(demo_set, dcc_issuer.test_payload(family=name, given="Self")), "paste"
    )
    running.wait_verdict()
    with qtbot.waitSignal(window.verdict.finished, timeout=5000):
        pass
    assert not containing(reachable_texts(window), name)


def test_a_row_of_people_leaves_counts_not_a_history(start_station, demo_set, qtbot) -> None:
    names = [canary_name() for _ in range(3)]
    running = start_station(verdict_seconds=60, kiosk=False, size=(1280, 800))
    window = running.window
    for name in names:
        window.submit_text(issued(demo_set, vaccination_payload(family=name)), "paste")
        running.wait_verdict()
        qtbot.mouseClick(window.verdict, Qt.MouseButton.LeftButton)
    window.submit_text(demo_pass(demo_set, "Expired").text, "paste")
    running.wait_verdict()  # a fourth person is on screen: the three before are gone
    left = reachable_texts(window)
    for name in names:
        assert not containing(left, name)
