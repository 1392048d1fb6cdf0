"""A distinct sound per verdict, made in code (no sound files shipped), never blocking.

The tones are built as 16-bit mono WAV data: VALID rises (two short high notes), INVALID is
three low buzzes, CHECK BY HAND two equal middle notes, UNREADABLE one short note, and a
station fault falls. Guards learn them within a shift and can keep their eyes on the person.

Playing uses the best that is installed: QtMultimedia's `QSoundEffect` (the full PySide6 wheel
or Debian's python3-pyside6.qtmultimedia), else an audio player started detached (`aplay` on
Raspberry Pi OS, `paplay`, `pw-play`), else the system beep repeated once per note group.
None of them waits for the sound or fails when there is no audio device: a silent station
still works, and the verdict is always on screen.
"""

from __future__ import annotations

import io
import math
import shutil
import struct
import wave
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QTemporaryDir, QTimer, QUrl
from PySide6.QtWidgets import QApplication

RATE = 22050
#: (frequency Hz, duration s) per note; 0 Hz is a pause.
MELODIES: dict[str, tuple[tuple[float, float], ...]] = {
    "valid": ((880.0, 0.12), (0.0, 0.03), (1320.0, 0.18)),
    "invalid": ((330.0, 0.18), (0.0, 0.06), (330.0, 0.18), (0.0, 0.06), (330.0, 0.18)),
    "check": ((660.0, 0.2), (0.0, 0.08), (660.0, 0.2)),
    "unreadable": ((520.0, 0.12),),
    "fault": ((523.0, 0.2), (392.0, 0.2), (262.0, 0.3)),
}
BEEPS = {"valid": 1, "check": 2, "invalid": 3, "unreadable": 1, "fault": 4}
PLAYERS = ("aplay", "paplay", "pw-play")


def tone_wav(melody: tuple[tuple[float, float], ...], volume: float = 0.5) -> bytes:
    """WAV bytes for a melody, each note with 5 ms fades so it does not click."""
    samples = bytearray()
    for frequency, duration in melody:
        count = int(RATE * duration)
        fade = max(1, int(RATE * 0.005))
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            value = 0.0
            if frequency:
                phase = 2 * math.pi * frequency * i / RATE
                value = math.sin(phase) + 0.3 * math.sin(3 * phase)  # a little edge: audible
            samples += struct.pack("<h", int(32767 * volume * envelope * value / 1.3))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(samples))
    return buffer.getvalue()


class SoundPlayer(QObject):
    """Plays the verdict sounds; `backend` says how ("qtmultimedia", a player, "beep")."""

    def __init__(self, parent: QObject | None = None, *, enabled: bool = True) -> None:
        super().__init__(parent)
        self.enabled = enabled
        #: The last sound asked for, played or muted (tests check which verdicts sounded).
        self.last: str | None = None
        self._folder = QTemporaryDir()
        self._files = self._write_files()
        self._effects = self._sound_effects()
        self._player = None if self._effects else _external_player()
        self.backend = "qtmultimedia" if self._effects else "beep"
        if self._player:
            self.backend = Path(self._player).name

    def play(self, name: str) -> None:
        self.last = name
        if not self.enabled or name not in MELODIES:
            return
        if self._effects:
            self._effects[name].play()
        elif self._player and name in self._files:
            arguments = [self._files[name]]
            if Path(self._player).name == "aplay":
                arguments.insert(0, "-q")
            QProcess.startDetached(self._player, arguments)
        else:
            for n in range(BEEPS[name]):
                QTimer.singleShot(n * 250, QApplication.beep)

    def _write_files(self) -> dict[str, str]:
        if not self._folder.isValid():
            return {}
        files = {}
        for name, melody in MELODIES.items():
            path = Path(self._folder.path()) / f"{name}.wav"
            try:
                path.write_bytes(tone_wav(melody))
            except OSError:  # a full disk: the beep still works
                return {}
            files[name] = str(path)
        return files

    def _sound_effects(self) -> dict[str, Any]:
        try:
            from PySide6.QtMultimedia import QSoundEffect  # not in PySide6-Essentials
        except ImportError:
            return {}
        effects: dict[str, Any] = {}
        for name, path in self._files.items():
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(path))
            effects[name] = effect
        return effects


def _external_player() -> str | None:
    for name in PLAYERS:
        found = shutil.which(name)
        if found:
            return found
    return None
