"""A verdict that arrived while the admin screen or manual entry covered the scan screen.

A code read just before the guard tapped "Admin" is still being verified when the PIN pad
opens; its entry is logged and the gate has already acted on it, but nobody saw the verdict.
It is held here and shown when the covering screen closes, for what is left of its display
time, so the person at the gate still gets their answer. Once that time has passed the
verdict is dropped (and the holder's name with it): by then the person has gone, and an old
verdict popping up would mislead the next one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from gui.presenters import VerdictView


class HeldVerdict(QObject):
    """At most one verdict (the newest), forgotten by itself when its display time ends."""

    def __init__(
        self, parent: QObject | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self.view: VerdictView | None = None
        self._clock = clock
        self._until = 0.0
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self.drop)

    def hold(self, view: VerdictView, seconds: float) -> None:
        """Keep `view` for `seconds` (its display time), replacing any verdict held before."""
        self.view = view
        self._until = self._clock() + seconds
        self._expiry.start(max(1, round(seconds * 1000)))

    def take(self) -> tuple[VerdictView, float] | None:
        """The held verdict and its seconds left, or None; either way nothing is held after."""
        view, left = self.view, self._until - self._clock()
        self.drop()
        if view is None or left <= 0:
            return None
        return view, left

    def drop(self) -> None:
        self._expiry.stop()
        self.view = None
