"""Open a frame source from a short spec: `camera:0`, `camera:/dev/video2`, `picamera`,
`file:clip.mp4`, `file:photo.png`, `dir:frames/`.

One parser for the CLI, the GUI and the demo, so the same words select the same camera
everywhere.  A spec that names nothing usable is a `StationError` with the accepted forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from station.adapters.camera_opencv import OpenCvCamera
from station.adapters.camera_picam import PiCameraSource
from station.adapters.media_files import IMAGE_SUFFIXES, ImageFilesSource, VideoFileSource
from station.errors import StationError
from station.ports import FrameSource

SPEC_FORMS = "camera:INDEX, camera:/dev/videoN, picamera, file:PATH, dir:FOLDER"

CAMERA_FPS = 15.0
#: An image folder is a recording of camera frames; 10 per second is a slow webcam's rate.
FOLDER_FPS = 10.0


@dataclass(frozen=True, slots=True)
class SourceOptions:
    width: int = 1280
    height: int = 720
    #: Frames per second; None = the camera's default of 15, or a video file's own rate.
    fps: float | None = None
    #: Play files again from the start when they end (a demo camera never stops).
    loop: bool = True
    #: Pace files at `fps` like a camera; False plays them as fast as they decode.
    realtime: bool = True


def open_source(spec: str, options: SourceOptions = SourceOptions()) -> FrameSource:
    kind, _, target = spec.partition(":")
    if kind == "camera":
        return OpenCvCamera(
            _camera_device(target),
            width=options.width,
            height=options.height,
            fps=options.fps or CAMERA_FPS,
        )
    if kind == "picamera" and not target:
        return PiCameraSource(
            width=options.width, height=options.height, fps=options.fps or CAMERA_FPS
        )
    if kind == "file" and target:
        return _file_source(Path(target), options)
    if kind == "dir" and target:
        if not Path(target).is_dir():
            raise StationError(f"no such folder: {target}")
        return ImageFilesSource.from_folder(
            target, loop=options.loop, realtime=options.realtime, fps=options.fps or FOLDER_FPS
        )
    raise StationError(f"unknown source {spec!r}; use one of: {SPEC_FORMS}")


def _camera_device(target: str) -> int | str:
    if target == "":
        return 0
    if target.isdigit():
        return int(target)
    if target.startswith("/dev/"):
        return target
    raise StationError(f"camera must be an index or a /dev path, not {target!r}")


def _file_source(path: Path, options: SourceOptions) -> FrameSource:
    if not path.is_file():
        raise StationError(f"no such file: {path}")
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return ImageFilesSource(
            [path],
            name=f"file:{path}",
            loop=options.loop,
            realtime=options.realtime,
            fps=options.fps or FOLDER_FPS,
        )
    return VideoFileSource(path, loop=options.loop, realtime=options.realtime, fps=options.fps)
