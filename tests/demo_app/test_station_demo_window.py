"""`station demo` with a screen: the app loops over the credentials until its window is closed,
then the demo uploads what is left and reports. Run in this process on Qt's offscreen platform,
the window closed once a round has been shown."""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from gui.demo.run import run_demo
from gui.demo.show import DemoScreen
from gui.main_window import StationWindow
from station.issuer.demo_world import build_demo_world

PACE_S = 0.8
DEADLINE_S = 300
#: The demo's line per verdict: "  7/23  label  VALID  as expected; logged".
VERDICT_LINE = re.compile(r"\s*(\d+)/\d+\s")


@pytest.fixture()
def signal_handlers() -> Iterator[None]:
    """The app takes over SIGINT and SIGTERM to close cleanly; give pytest them back."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


def test_the_windowed_demo_loops_until_closed_then_reports(
    qapp: QApplication, tmp_path: Path, signal_handlers: None
) -> None:
    lines: list[str] = []
    shown: list[StationWindow] = []

    credentials = len(build_demo_world().credentials)
    started = time.monotonic()

    def close_after_a_round() -> None:
        """Once every credential has its verdict line (or after a generous deadline, so a
        broken demo fails instead of hanging), however busy the machine is."""
        judged = {int(found.group(1)) for found in map(VERDICT_LINE.match, lines) if found}
        if len(judged) < credentials and time.monotonic() - started < DEADLINE_S:
            return
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, StationWindow)]
        shown.extend(w for w in windows if w.isVisible())
        for window in windows:
            window.close()
        poll.stop()

    poll = QTimer()
    poll.timeout.connect(close_after_a_round)
    poll.start(200)
    status = run_demo(tmp_path, DemoScreen(pace_s=PACE_S, sound=False), say=lines.append)
    text = "\n".join(lines)
    assert shown and shown[0].windowTitle() == "Checkpoint station: demo"
    assert "Close the window to end the demo" in text
    assert status == 0, text[-3000:]
    assert f"Verdicts: {credentials} of {credentials} credentials judged as expected." in text
