"""Handing the log to the health authority by hand, when a station cannot reach the hub.

The export is the same data the upload sends: every entry in wire form, one JSON object per
line, in sequence order. Sealed identity blocks stay sealed (only the authority's private key
opens them), so the file may travel on a USB stick without exposing anyone; the hub or the
authority's tools read it exactly like uploaded batches.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from station.entrylog.database import open_log
from station.entrylog.outbox import select_records


def export_sealed(path: Path, out_stream: TextIO) -> int:
    """Write every entry of the log at `path` to `out_stream` as JSON Lines; returns the count."""
    conn = open_log(path)
    count = 0
    try:
        for record in select_records(conn, "1", ()):
            out_stream.write(json.dumps(record.to_wire(), separators=(",", ":")) + "\n")
            count += 1
    finally:
        conn.close()
    return count
