"""The demo from start to end: back end up, credentials rendered, the app, the finale."""

from __future__ import annotations

from pathlib import Path

from gui.demo.finale import finish
from gui.demo.show import DemoScreen, run_app
from gui.demo.tracker import DemoTracker
from station.issuer.demo_world import DemoCredential
from sync.demo_backend import DemoSetupError, Printer, demo_backend


def run_demo(folder: Path, screen: DemoScreen, say: Printer = print) -> int:
    """0 when every credential was judged as expected and every entry reached the hub."""
    folder.mkdir(parents=True, exist_ok=True)
    say(f"Demo folder: {folder}")
    try:
        with demo_backend(folder, say=say) as backend:
            credentials = backend.world.credentials
            images = write_images(credentials, folder / "passes")
            say(f"{len(credentials)} demo credentials as QR images in {images}")
            say(_what_happens(screen))
            tracker = DemoTracker(credentials, say=say)
            status = run_app(backend.station_base, images, tracker, screen)
            outcome = finish(backend, tracker, say)
    except DemoSetupError as exc:
        say(f"station: demo set-up failed: {exc}")
        return 1
    if status != 0:
        return status
    return 0 if outcome.ok else 1


def write_images(credentials: tuple[DemoCredential, ...], folder: Path) -> Path:
    """One PNG per credential, named in showing order (the virtual camera plays name order)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, credential in enumerate(credentials, start=1):
        (folder / f"{number:02d}-{credential.family}.png").write_bytes(credential.png())
    return folder


def _what_happens(screen: DemoScreen) -> str:
    if screen.headless:
        return "The app is reading them from its virtual camera, once each:\n"
    return (
        "The app shows them one by one on its virtual camera, round after round; entries go to\n"
        "the hub every few seconds. Close the window to end the demo.\n"
    )
