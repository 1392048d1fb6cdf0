"""Body delivery for the fault modes that misbehave on the wire.

Both loops give up as soon as the server is stopping, so a test that arms a ten-second drip
does not hold shutdown for ten seconds.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol


class Writable(Protocol):
    def write(self, data: bytes, /) -> Any: ...

    def flush(self) -> Any: ...


JUNK_CHUNK = b"\x00junk" * (64 * 1024 // 5)


def stream_junk(out: Writable, size: int, stopping: threading.Event) -> None:
    """Write `size` bytes of junk from one reused buffer (never built in memory)."""
    left = size
    while left > 0 and not stopping.is_set():
        piece = JUNK_CHUNK if left >= len(JUNK_CHUNK) else JUNK_CHUNK[:left]
        out.write(piece)
        left -= len(piece)


def drip(out: Writable, body: bytes, interval: float, stopping: threading.Event) -> None:
    """Write `body` one byte per `interval` seconds."""
    for index in range(len(body)):
        if index and stopping.wait(interval):
            return
        out.write(body[index : index + 1])
        out.flush()
