"""The app's own options (`<data dir>/station-app.json`), set in the admin panel.

The station's settings (profile, retention, checkpoint id...) live in `settings.json` and are
shared with the command line; these are only about the screen: language, how long a verdict
stays up, sound, and which camera to open. A missing or unreadable file means the defaults, so
a damaged file can never keep a kiosk from starting; the admin panel rewrites it whole.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

OPTIONS_FILE = "station-app.json"
LANGUAGES = ("vi", "en")
MIN_VERDICT_S, MAX_VERDICT_S = 2.0, 30.0
MAX_FILE_BYTES = 16 * 1024


@dataclass(frozen=True, slots=True)
class AppOptions:
    language: str = "vi"
    #: Seconds a verdict stays on screen before the scan screen returns (and the name clears).
    verdict_seconds: float = 5.0
    sound: bool = True
    #: Frame source spec (see `station.scan.sources`); "" means camera:0.
    source: str = ""
    #: Which way people pass this station ("in" or "out"), remembered across restarts.
    direction: str = "in"

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        if not MIN_VERDICT_S <= self.verdict_seconds <= MAX_VERDICT_S:
            raise ValueError(f"verdict_seconds must be {MIN_VERDICT_S:g} to {MAX_VERDICT_S:g}")
        if self.direction not in ("in", "out"):
            raise ValueError("direction must be in or out")

    def changed(self, **values: Any) -> AppOptions:
        return replace(self, **values)


def options_path(base: Path) -> Path:
    return base / OPTIONS_FILE


def load_options(base: Path) -> AppOptions:
    """The saved options, or the defaults when the file is missing or unusable."""
    try:
        raw = options_path(base).read_bytes()
        if len(raw) > MAX_FILE_BYTES:
            return AppOptions()
        data = json.loads(raw)
        known = {k: v for k, v in data.items() if k in AppOptions.__dataclass_fields__}
        return AppOptions(**known)
    except (OSError, ValueError, TypeError, AttributeError):
        return AppOptions()


def save_options(base: Path, options: AppOptions) -> None:
    """Write the options atomically."""
    base.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=base, prefix=".station-app-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(asdict(options), stream, indent=2)
        os.replace(temporary, options_path(base))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
