"""Injected failures, so the station's sync can be tested against every way a backend breaks.

A fault names a path prefix, a kind and how many requests it spoils (None: until cleared). The
first matching fault is taken when a request arrives; what it does is in `fault_effects` (answer
rewrites) and `handler` (socket-level misbehaviour). The after-commit kinds run the request to the
end first, so a client sees a failure for a change the hub did make (a lost acknowledgement).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

#: Kind → the keyword parameters it accepts and their defaults.
KINDS: dict[str, dict[str, Any]] = {
    "status": {"status": 503, "retry_after": None},
    "tamper": {},
    "truncate": {},
    "oversize": {"size": 100 * 1024 * 1024},
    "slow": {"interval": 10.0},
    "silence": {"seconds": 30.0},
    "reset": {},
    "redirect": {"location": "http://hub.invalid/elsewhere"},
    "rollback": {},
    "wrong_key": {},
    "alg_none": {},
    "unsigned": {},
    "other_source": {},
    "expired": {},
    "drop_after_commit": {},
    "status_after_commit": {"status": 504},
}
#: Kinds that let the request run (and commit) and only then spoil the answer.
AFTER_COMMIT = ("drop_after_commit", "status_after_commit")


@dataclass(slots=True)
class Fault:
    """One armed fault; `params` holds every parameter of its kind (defaults filled in)."""

    path_prefix: str
    kind: str
    remaining: int | None
    params: dict[str, Any] = field(default_factory=dict)


class Faults:
    """The armed faults of one hub (thread-safe: request threads take, tests add and clear)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, path_prefix: str, kind: str, *, times: int | None = None, **params: Any) -> None:
        """Arm a fault for requests whose path starts with `path_prefix`."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(sorted(KINDS))}")
        unknown = set(params) - set(KINDS[kind])
        if unknown:
            raise ValueError(f"fault {kind!r} takes no parameter(s) {sorted(unknown)}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for 'until cleared')")
        fault = Fault(path_prefix, kind, times, {**KINDS[kind], **params})
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, path: str) -> Fault | None:
        """The first fault matching `path`, counting this request against its `times`."""
        with self._lock:
            for fault in self._faults:
                if path.startswith(fault.path_prefix):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining == 0:
                            self._faults.remove(fault)
                    return Fault(fault.path_prefix, fault.kind, fault.remaining, fault.params)
        return None

    def active(self) -> list[Fault]:
        with self._lock:
            return [Fault(f.path_prefix, f.kind, f.remaining, dict(f.params)) for f in self._faults]
