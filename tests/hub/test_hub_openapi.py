"""openapi.yaml documents exactly the routes the server has, and every error code."""

from __future__ import annotations

import re
from pathlib import Path

import sync.hub
from sync.hub.problems import ALL_CODES
from sync.hub.routes import ROUTES

OPENAPI = Path(sync.hub.__file__).with_name("openapi.yaml")
PATH_LINE = re.compile(r"^  (/\S*):\s*$")
METHOD_LINE = re.compile(r"^    (get|put|post|delete|patch|head|options):\s*$")


def _documented() -> set[tuple[str, str]]:
    """(METHOD, path) pairs from the `paths:` section, read by indentation."""
    found: set[tuple[str, str]] = set()
    in_paths, current = False, None
    for line in OPENAPI.read_text(encoding="utf-8").splitlines():
        if not line.startswith(" ") and line.strip():
            in_paths = line.startswith("paths:")
            continue
        if not in_paths:
            continue
        if match := PATH_LINE.match(line):
            current = match.group(1)
        elif (match := METHOD_LINE.match(line)) and current:
            found.add((match.group(1).upper(), current))
    return found


def test_every_route_is_documented_and_nothing_else():
    routed = {(route.method, route.template) for route in ROUTES}
    assert _documented() == routed


def test_every_problem_code_is_documented():
    text = OPENAPI.read_text(encoding="utf-8")
    assert [code for code in ALL_CODES if f"- {code}\n" not in text] == []


def test_the_document_names_its_version_and_security():
    text = OPENAPI.read_text(encoding="utf-8")
    assert text.startswith("openapi: 3.0.")
    assert "scheme: bearer" in text
    assert "\t" not in text
