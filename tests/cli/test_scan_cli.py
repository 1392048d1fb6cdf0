"""`station scan` end to end in a real process: a video file and an image folder played as a
camera, and a keyboard-wedge scanner typing into a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import termios
import time
from datetime import timedelta
from pathlib import Path

import pytest

from station.issuer.camera_scenes.demo import write_demo_frames, write_demo_video
from station.issuer.demo_set import demo_passes, make_authority

STATION = [sys.executable, "-m", "station.cli.main"]
AT = "2026-06-01T12:00:00Z"


@pytest.fixture(scope="module")
def people(tmp_path_factory, now):  # type: ignore[no-untyped-def]
    """Three people in the queue: two valid passes and an expired one, and the trust file."""
    folder = tmp_path_factory.mktemp("scan-cli")
    authority = make_authority(now - timedelta(days=1))
    passes = demo_passes(authority, now)
    chosen = [passes[0], passes[3], passes[1]]
    trust = []
    for index, signer in enumerate(authority.trusted):
        path = folder / f"signer-{index}.der"
        path.write_bytes(signer.der)
        trust += ["--trust-cert", str(path)]
    return folder, chosen, trust


def run_scan(source: str, trust: list[str], *extra: str) -> list[dict]:  # type: ignore[type-arg]
    command = [*STATION, "scan", "--source", source, "--json", "--at", AT, *trust, *extra]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_video_file_camera_gives_one_verdict_per_person(people) -> None:  # type: ignore[no-untyped-def]
    folder, chosen, trust = people
    video = folder / "queue.mp4"
    write_demo_video(video, [p.text for p in chosen], seconds_per_code=1.5, fps=8, size=(960, 540))
    lines = run_scan(f"file:{video}", trust, "--once", "--as-fast-as-possible")
    assert [line["decoded_text"] for line in lines] == [p.text for p in chosen]
    assert [line["status"] for line in lines] == [p.expected for p in chosen]
    assert all(line["source"] == f"file:{video}" and line["latency_ms"] >= 0 for line in lines)


def test_image_folder_camera_and_limit(people) -> None:  # type: ignore[no-untyped-def]
    folder, chosen, trust = people
    frames = folder / "frames"
    write_demo_frames(
        frames, [p.text for p in chosen], seconds_per_code=1.0, fps=6, size=(960, 540)
    )
    lines = run_scan(f"dir:{frames}", trust, "--as-fast-as-possible", "--limit", "2")
    assert [line["status"] for line in lines] == [p.expected for p in chosen[:2]]


def test_missing_camera_runs_until_the_duration_and_says_why(people) -> None:  # type: ignore[no-untyped-def]
    _, _, trust = people
    command = [*STATION, "scan", "--source", "camera:/dev/video-none", "--duration", "1", *trust]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout == ""
    assert "DISCONNECTED" in done.stderr


def test_unreadable_video_is_a_usage_error(tmp_path: Path, people) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"\x00" * 100)
    command = [*STATION, "scan", "--source", f"file:{bad}", "--once", *people[2]]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "broken.mp4" in done.stderr


def wait_for_raw_mode(master: int, process: subprocess.Popen[str], timeout: float = 60) -> None:
    """Until the scanner has switched the terminal to raw mode: keys typed before that would be
    taken by the line discipline, however long the interpreter takes to start."""
    deadline = time.monotonic() + timeout
    while termios.tcgetattr(master)[3] & termios.ICANON:
        assert process.poll() is None, "the scanner exited before reading"
        assert time.monotonic() < deadline, "the terminal never went to raw mode"
        time.sleep(0.02)


def test_wedge_scanner_in_a_terminal(people) -> None:  # type: ignore[no-untyped-def]
    _, chosen, trust = people
    master, slave = pty.openpty()
    command = [*STATION, "scan", "--source", "wedge", "--json", "--at", AT, "--limit", "2", *trust]
    process = subprocess.Popen(
        command, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    os.close(slave)
    try:
        wait_for_raw_mode(master, process)
        for char in "guard typing":  # a person at the keyboard: never a scan
            os.write(master, char.encode())
            time.sleep(0.08)
        os.write(master, b"\r")
        for person in chosen[:2]:
            os.write(master, person.text.encode() + b"\r")  # a scanner: one fast burst
            time.sleep(0.3)
        out, err = process.communicate(timeout=60)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["decoded_text"] for line in lines] == [p.text for p in chosen[:2]], err
    assert [line["status"] for line in lines] == [p.expected for p in chosen[:2]]
    assert all(line["source"] == "wedge" for line in lines)
