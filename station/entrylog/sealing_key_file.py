"""`sealing-key.json`: the authority's public sealing key, as the last sync delivered it.

Sync writes it after checking the bundle's signature; the log reads it when the kiosk starts.
It is public, so 0644 is fine, but it is written atomically (temporary file, fsync, rename): a
half-written key would make every entry unsealable. The key id is stored too and checked on
reading, so a file edited by hand cannot quietly seal entries to a key nobody expects.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from station.entrylog.sealing import SealError, SealingKey
from station.errors import ConfigError

SEALING_KEY_FILE = "sealing-key.json"
MAX_FILE_BYTES = 4096


def sealing_key_path(base: Path) -> Path:
    return base / SEALING_KEY_FILE


def save_sealing_key(base: Path, key: SealingKey, version: int) -> Path:
    """Write the key atomically; returns the file's path."""
    target = sealing_key_path(base)
    base.mkdir(parents=True, exist_ok=True)
    body = {
        "key": key.to_text(),
        "key_id": key.id.hex(),
        "version": int(version),
    }
    handle, temporary = tempfile.mkstemp(prefix=".sealing-key-", dir=base)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(body, stream, sort_keys=True)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_dir(base)
    return target


def load_sealing_key(base: Path) -> SealingKey | None:
    """The saved key; None when there is none yet, ConfigError when the file is unusable."""
    path = sealing_key_path(base)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{path} cannot be read: {exc.strerror}") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError(f"{path} is too large for a sealing key file")
    try:
        return _parse(json.loads(raw))
    except (ValueError, TypeError, KeyError, SealError) as exc:
        raise ConfigError(f"{path} is not a valid sealing key file") from exc


def held_sealing_key_version(base: Path) -> int | None:
    """The version of the saved key (to refuse an older one), or None when there is none."""
    if load_sealing_key(base) is None:
        return None
    data = json.loads(sealing_key_path(base).read_bytes())
    return int(data["version"])


def _parse(data: Any) -> SealingKey:
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        raise ValueError("no key")
    key = SealingKey.from_text(data["key"])
    if data.get("key_id") != key.id.hex():
        raise ValueError("the key id does not match the key")
    if not isinstance(data.get("version"), int):
        raise ValueError("no version")
    return key


def _fsync_dir(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
