"""A folder of QR images played as a camera (`station run --source file:<folder>`), no Qt."""

from __future__ import annotations

from gui.demo_data import write_qr_images
from gui.virtual_camera import FolderCamera
from station.issuer.demo_set import DemoPass
from station.scan import read_codes
from station.scan.frames import SourceState


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def passes(*texts: str) -> tuple[DemoPass, ...]:
    return tuple(DemoPass(text, text, "INVALID") for text in texts)


def test_each_picture_is_held_up_then_the_counter_is_empty(tmp_path):
    write_qr_images(passes("FIRST-CODE", "SECOND-CODE"), tmp_path)
    clock = Clock()
    camera = FolderCamera(tmp_path, hold_s=2.0, gap_s=1.0, fps=10, clock=clock)
    seen = []
    for step in range(0, 70, 5):  # 7 s in half seconds
        clock.now = step / 10
        frame = camera.read()
        assert frame is not None and camera.state is SourceState.LIVE
        seen.append(tuple(read_codes(frame.image)))
    assert seen[:6] == [("FIRST-CODE",)] * 4 + [()] * 2
    assert seen[6:12] == [("SECOND-CODE",)] * 4 + [()] * 2
    assert seen[12] == ("FIRST-CODE",), "the folder loops"


def test_played_once_the_folder_ends(tmp_path):
    write_qr_images(passes("ONLY-CODE"), tmp_path)
    clock = Clock()
    camera = FolderCamera(tmp_path, hold_s=1.0, gap_s=1.0, loop=False, clock=clock)
    clock.now = 2.5
    assert camera.read() is None and camera.state is SourceState.ENDED


def test_unreadable_files_are_named_and_an_empty_folder_ends(tmp_path):
    (tmp_path / "broken.png").write_bytes(b"not a picture")
    camera = FolderCamera(tmp_path)
    assert camera.state is SourceState.ENDED
    assert "broken.png" in camera.problem
    assert camera.read() is None
