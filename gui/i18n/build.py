"""Rebuild the translations: `python -m gui.i18n.build`.

1. `pyside6-lupdate` collects every marked string from `gui/*.py` into `station_vi.ts` and
   `station_en.ts`, keeping existing translations and dropping strings no longer used.
2. `pyside6-lrelease` compiles each `.ts` into the `.qm` the app loads.

Translate new strings (they arrive as `type="unfinished"`) in the `.ts` files, with Qt
Linguist or a text editor, then run this again. `--check` only reports unfinished strings and
exits 1 if there are any (the tests run the same check).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from gui.i18n import I18N_DIR, LANGUAGES

GUI_DIR = I18N_DIR.parent


def tool(name: str) -> str:
    """A Qt tool from the virtualenv running this script, else from PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 in this environment")
    return found


def ts_path(language: str) -> Path:
    return I18N_DIR / f"station_{language}.ts"


def unfinished(path: Path) -> list[str]:
    """Source texts of `path` without a finished translation."""
    missing = []
    for message in ET.parse(path).getroot().iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") == "unfinished":
            missing.append(message.findtext("source") or "")
    return missing


def build() -> None:
    sources = sorted(str(path) for path in GUI_DIR.glob("*.py"))
    for language in LANGUAGES:
        target = ts_path(language)
        subprocess.run(
            [
                tool("pyside6-lupdate"),
                "-no-obsolete",
                "-locations",
                "none",
                *sources,
                "-ts",
                str(target),
            ],
            check=True,
        )
        subprocess.run([tool("pyside6-lrelease"), str(target)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="rebuild the app's translations")
    parser.add_argument("--check", action="store_true", help="only list unfinished strings")
    args = parser.parse_args(argv)
    if not args.check:
        build()
    missing = {language: unfinished(ts_path(language)) for language in LANGUAGES}
    for language, texts in missing.items():
        for text in texts:
            print(f"{language}: unfinished: {text}")
    return 1 if any(missing.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
