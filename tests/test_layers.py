"""Imports point down: station/ never imports gui/, sync/, Qt or HTTP libraries."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_CORE = {"gui", "sync", "PySide6", "requests", "httpx", "urllib3"}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_imports_neither_gui_nor_sync_nor_network():
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & FORBIDDEN_IN_CORE)
        for path in (ROOT / "station").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_sync_does_not_import_gui():
    for path in (ROOT / "sync").rglob("*.py"):
        assert "gui" not in _imported_roots(path), path
