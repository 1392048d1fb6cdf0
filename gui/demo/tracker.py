"""Which demo credential each verdict was for, and whether the station judged it as expected.

The virtual camera shows the demo credentials one by one; the camera worker reports each code
it reads (`ScanInput`, with a serial) and the verify worker answers with a `Decision` under the
same serial. The tracker joins the two by serial and the scanned text by the credential it
came from, so the demo can print "SMART Health Card, revoked: INVALID, as expected" for every
person, and its summary can say how many credentials were judged as expected. Both signals
arrive on worker threads, so every method takes the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gui.values import Decision, ScanInput
from station.issuer.demo_world import DemoCredential
from station.model import Holder

if TYPE_CHECKING:
    from sync.demo_backend import Printer


@dataclass(frozen=True, slots=True)
class Judged:
    """The first verdict the station gave on one demo credential."""

    credential: DemoCredential
    status: str
    reason: str
    recorded: bool | None
    holder: Holder | None

    @property
    def as_expected(self) -> bool:
        return self.status == self.credential.expected


class DemoTracker:
    """Joins scans and decisions to the demo's credentials; prints one line per verdict."""

    def __init__(self, credentials: Sequence[DemoCredential], say: Printer = print) -> None:
        self._credentials = tuple(credentials)
        self._by_text = {credential.text: credential for credential in self._credentials}
        self._texts: dict[int, str] = {}
        self._judged: dict[str, Judged] = {}
        self._say = say
        self._lock = threading.Lock()
        self.decisions = 0

    def on_scan(self, scan: ScanInput) -> None:
        with self._lock:
            self._texts[scan.serial] = scan.text

    def on_decision(self, decision: Decision) -> None:
        with self._lock:
            text = self._texts.pop(decision.serial, None)
            credential = self._by_text.get(text) if text is not None else None
            if credential is None:
                return
            self.decisions += 1
            judged = _judged(credential, decision)
            self._judged.setdefault(credential.text, judged)
            number = self._credentials.index(credential) + 1
        self._say(_line(number, len(self._credentials), judged))

    @property
    def judged(self) -> tuple[Judged, ...]:
        """The first verdict per credential, in the demo's order."""
        with self._lock:
            found = [self._judged.get(c.text) for c in self._credentials]
        return tuple(judged for judged in found if judged is not None)

    @property
    def unseen(self) -> tuple[DemoCredential, ...]:
        with self._lock:
            return tuple(c for c in self._credentials if c.text not in self._judged)

    @property
    def complete(self) -> bool:
        with self._lock:
            return len(self._judged) == len(self._credentials)


def _judged(credential: DemoCredential, decision: Decision) -> Judged:
    result = decision.result
    if result is None:
        return Judged(credential, "CANNOT_VERIFY", decision.failure, decision.recorded, None)
    return Judged(credential, str(result.status), result.reason, decision.recorded, result.holder)


def _line(number: int, total: int, judged: Judged) -> str:
    reason = f" ({judged.reason})" if judged.reason and judged.status != "VALID" else ""
    verdict = f"{judged.status}{reason}"
    mark = "as expected" if judged.as_expected else f"EXPECTED {judged.credential.expected}"
    logged = {True: "logged", False: "NOT LOGGED", None: "no log"}[judged.recorded]
    return f"  {number:2d}/{total}  {judged.credential.label:<44} {verdict:<34} {mark}; {logged}"
