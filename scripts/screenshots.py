"""Screenshots of the station app for docs/screenshots/ (`make screenshots`).

Runs the real app offscreen (real verifier, real widgets) in three modes: the kiosk on the 7"
800x480 and the 10" 1280x800 Raspberry Pi screens, in Vietnamese, and the laptop window in
English. For each it saves the scan screen and one screen per verdict (VALID, INVALID, CHECK BY
HAND; the laptop also UNREADABLE, from an image without a code), and for the 7" kiosk also the
manual ID entry, the admin PIN pad, the lost camera and an English verdict.

The station it photographs trusts a demo authority, has a clock confirmed a moment ago and an
entry log with a morning's worth of decisions, so the counters and the status strip show a
working station. Decisions are recorded through `station.entry_recorder` when installed, else
straight into the entry log. The camera shows a synthetic webcam picture of a phone holding a
QR code; scanning is paused while screens are captured, so only the submitted pass decides.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from gui.app import Station, build_station
from gui.app_config import AppConfig, Parts
from gui.app_factories import real_recorder_factory
from gui.demo_data import DemoStation, trust_demo_authority
from gui.pin import PinStore
from gui.virtual_camera import scene
from station.adapters.clock import FixedClock
from station.clock_trust import record_reference_time
from station.entrylog.storage import StorageFailure
from station.entrylog.writer import EntryLog
from station.issuer.camera_scenes.frames import synth_frame
from station.issuer.vn_qr import cccd_text, make_person
from station.model import VerificationResult
from station.paths import log_db_path, trust_db_path
from station.scan.frames import Frame, SourceState
from station.store.trust import SqliteTrustStore
from station.verify.verifier import Verifier

ROOT = Path(__file__).resolve().parent.parent
MODES = (
    ("kiosk-800x480", True, (800, 480), "vi"),
    ("kiosk-1280x800", True, (1280, 800), "vi"),
    ("laptop-1280x800", False, (1280, 800), "en"),
)


class StillCamera:
    """A camera that shows one picture (or, when `lost`, reports that it is disconnected)."""

    problem = ""

    def __init__(self, picture) -> None:
        self.picture = picture
        self.lost = False
        self._index = 0

    @property
    def name(self) -> str:
        return "camera:0"

    @property
    def state(self) -> SourceState:
        return SourceState.DISCONNECTED if self.lost else SourceState.LIVE

    def read(self) -> Frame | None:
        time.sleep(1 / 15)
        if self.lost:
            return None
        self._index += 1
        return Frame(self.picture, time.monotonic(), self._index)

    def close(self) -> None:
        pass


class LogRecorder:
    """The recorder's API straight over the entry log (when the recorder is not installed)."""

    def __init__(self, base: Path) -> None:
        self.direction = "in"
        self._log = EntryLog(log_db_path(base), sealing_key=None)

    def record(self, result: VerificationResult) -> object:
        try:
            entry = self._log.record(
                result,
                direction=self.direction,
                checkpoint_id="main",
                clock_trusted=True,
                now=datetime.now(UTC),
            )
        except StorageFailure as exc:
            return argparse.Namespace(entry=None, storage_state=exc.code, problem=str(exc))
        return argparse.Namespace(entry=entry, storage_state="OK", problem=None)

    def close(self) -> None:
        self._log.close()


def prepare(base: Path) -> DemoStation:
    """A station trusting the demo authority, a confirmed clock, a morning of decisions."""
    demo = trust_demo_authority(base)
    now = datetime.now(UTC)
    record_reference_time(base, local_now=now, reference=now, source="screenshots")
    PinStore(base).set_pin("246810")
    with SqliteTrustStore(trust_db_path(base)) as store:
        verifier = Verifier(store.index(), FixedClock(demo.now))
    local = now.astimezone()
    opened = local.replace(hour=7, minute=0, second=0, microsecond=0)
    start = opened if local - opened > timedelta(hours=2) else local - timedelta(hours=6)
    minutes = int((local - start).total_seconds() // 60)
    rng = random.Random(7)
    with EntryLog(log_db_path(base), sealing_key=None) as log:
        for demo_pass in demo.passes * 6:
            at = start + timedelta(minutes=rng.randrange(minutes))
            result = verifier.verify(demo_pass.text)
            log.record(result, direction="in", checkpoint_id="main", clock_trusted=True, now=at)
    return demo


def settle(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_for(app: QApplication, condition, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("screenshots: the app did not reach the expected screen")
        app.processEvents()
        time.sleep(0.01)


def save(station: Station, out: Path, name: str) -> None:
    image: QImage = station.window.grab().toImage()
    path = out / f"{name}.png"
    image.save(str(path), "PNG")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def verdict(app: QApplication, station: Station, text: str) -> None:
    window = station.window
    window.show_scan()
    painted: list[int] = []
    window.verdict.verdict_painted.connect(painted.append)
    window.submit_text(text, "paste")
    wait_for(app, lambda: bool(painted))
    window.verdict.verdict_painted.disconnect(painted.append)
    window.verdict.hold()  # keep the screen still while it is captured


def shoot_mode(app: QApplication, demo: DemoStation, out: Path, mode: tuple) -> None:
    name, kiosk, size, language = mode
    camera = StillCamera(scene(None))
    recorder = real_recorder_factory(demo.base) or (lambda: LogRecorder(demo.base))
    config = AppConfig(
        base=demo.base, kiosk=kiosk, size=size, language=language, sound=False, scheduled_sync=False
    )
    station = build_station(config, Parts(open_source=lambda spec: camera, make_recorder=recorder))
    station.start()
    station.show()
    try:
        wait_for(app, lambda: station.window.scan.preview.first_painted_at is not None)
        assert station.camera is not None
        station.camera.pause(True)
        camera.picture = synth_frame(demo.passes[0].text, "clean", seed=3)
        settle(app, 3.5)  # the status worker's first reading and the counters
        save(station, out, f"{name}-scan")
        person = make_person(random.Random(11), sex="F", birth_date=date(1986, 3, 14))
        shots = {
            "valid": demo.passes[1].text,
            "invalid": next(p.text for p in demo.passes if p.label == "Expired pass"),
            "check": cccd_text(person, date(2021, 6, 2)),
        }
        for verdict_name, text in shots.items():
            verdict(app, station, text)
            save(station, out, f"{name}-{verdict_name}")
        if not kiosk:
            _unreadable(app, station, out, name)
        if size == (800, 480):
            _extras(app, station, camera, out, name, demo)
    finally:
        station.shutdown()
        station.window.close()


def _unreadable(app: QApplication, station: Station, out: Path, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        blank = Path(folder) / "photo.png"
        image = QImage(640, 480, QImage.Format.Format_RGB888)
        image.fill(0xD8D8D8)
        image.save(str(blank))
        station.window.show_scan()
        painted: list[int] = []
        station.window.verdict.verdict_painted.connect(painted.append)
        station.window.open_image(str(blank))
        wait_for(app, lambda: bool(painted))
        station.window.verdict.hold()
        save(station, out, f"{name}-unreadable")


def _extras(app, station: Station, camera: StillCamera, out: Path, name: str, demo) -> None:
    window = station.window
    window.show_scan()
    window.open_manual_entry()
    window.manual.pad.press("079186")
    settle(app, 0.2)
    save(station, out, f"{name}-manual-entry")
    window.manual.reset()
    window.open_admin()
    window.admin.pin_screen.pad.press("12")
    settle(app, 0.2)
    save(station, out, f"{name}-admin-pin")
    window.admin.lock()
    camera.lost = True
    wait_for(app, lambda: window.strip.item("camera").level == "bad")
    settle(app, 0.3)
    save(station, out, f"{name}-camera-lost")
    camera.lost = False
    window.set_language("en")
    settle(app, 0.2)
    verdict(app, station, demo.passes[1].text)
    save(station, out, f"{name}-en-valid")
    window.set_language("vi")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="screenshots of the station app")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="station-screenshots-") as folder:
        demo = prepare(Path(folder) / "data")
        for mode in MODES:
            shoot_mode(app, demo, args.out, mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
