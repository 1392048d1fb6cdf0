"""What a failing disk looks like to the entry log: four codes instead of SQLite's hundreds.

The log must never lose an entry silently, and the guard must know at once when an entry could
not be written ("cannot record entry — call supervisor"). SQLite reports a full disk as
`SQLITE_FULL` on a filesystem that runs out of blocks but as `SQLITE_IOERR_WRITE` when a write
is cut short by a file-size limit; a worn SD card remounted read-only gives `SQLITE_READONLY` or
`SQLITE_CANTOPEN`; damaged pages give `SQLITE_CORRUPT` or `SQLITE_NOTADB`. Those become one
`StorageFailure` with a stable code the GUI, the CLI and the uploader can show and count.
Messages carry SQLite's own text and the code, never a row's content.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from station.errors import StationError

STORAGE_OK = "OK"
#: Less free space than this on the log's filesystem turns an I/O error into "disk full".
NO_ROOM_BYTES = 64 * 1024
STORAGE_FULL = "STORAGE_FULL"
STORAGE_IO = "STORAGE_IO"
STORAGE_READONLY = "STORAGE_READONLY"
STORAGE_CORRUPT = "STORAGE_CORRUPT"
CODES = (STORAGE_FULL, STORAGE_IO, STORAGE_READONLY, STORAGE_CORRUPT)

_READONLY_NAMES = ("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_CANTOPEN")
_CORRUPT_NAMES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_ERRNO_CODES = {
    errno.ENOSPC: STORAGE_FULL,
    errno.EDQUOT: STORAGE_FULL,
    errno.EFBIG: STORAGE_IO,
    errno.EROFS: STORAGE_READONLY,
    errno.EACCES: STORAGE_READONLY,
    errno.EPERM: STORAGE_READONLY,
}


class StorageFailure(StationError):
    """The entry log could not be read or written; `code` says why, in one of `CODES`."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(
            f"the entry log cannot be written: {code}" + (f" ({detail})" if detail else "")
        )
        self.code = code
        self.detail = detail


def storage_code(exc: sqlite3.Error) -> str | None:
    """The storage code of a SQLite error, or None when it is not about the disk.

    Uses the extended error name (`SQLITE_IOERR_WRITE`, `SQLITE_READONLY_DBMOVED`, ...) so
    every variant of a family maps alike. Errors raised by Python's module itself carry no
    name; a `DatabaseError` among those ("file is not a database") still means a damaged file.
    """
    name = getattr(exc, "sqlite_errorname", None)
    if not isinstance(name, str):
        return STORAGE_CORRUPT if _says_not_a_database(exc) else None
    if name.startswith("SQLITE_FULL"):
        return STORAGE_FULL
    if name.startswith("SQLITE_IOERR"):
        return STORAGE_IO
    if name.startswith(_READONLY_NAMES):
        return STORAGE_READONLY
    if name.startswith(_CORRUPT_NAMES):
        return STORAGE_CORRUPT
    return None


def is_corruption(exc: sqlite3.Error) -> bool:
    return storage_code(exc) == STORAGE_CORRUPT


def failure_from_sqlite(exc: sqlite3.Error, path: Path | None = None) -> StorageFailure:
    """A StorageFailure for any operational SQLite error; unknown ones count as I/O trouble.

    A write that fails for a reason SQLite does not classify (a lock held past the busy
    timeout, say) still means the entry was not recorded, which the guard must be told. An I/O
    error on a filesystem with no room left is a full disk: SQLite reports the same ENOSPC as
    `SQLITE_FULL` or as an `SQLITE_IOERR_*` depending on which file the write was for (the
    database, its journal, or the shared-memory index), and the supervisor's fix differs.
    """
    code = storage_code(exc) or STORAGE_IO
    if code == STORAGE_IO and path is not None and _no_room(path):
        code = STORAGE_FULL
    name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
    return StorageFailure(code, str(name))


def _no_room(path: Path) -> bool:
    try:
        stats = os.statvfs(path.parent)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < NO_ROOM_BYTES


def failure_from_os(exc: OSError) -> StorageFailure:
    """A StorageFailure for an OS error met while creating or moving the log's files."""
    code = _ERRNO_CODES.get(exc.errno or 0, STORAGE_IO)
    return StorageFailure(code, errno.errorcode.get(exc.errno or 0, "OSError"))


def _says_not_a_database(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc)
