"""Verdict sounds: one distinct tone per outcome, made in code; playing never blocks or fails."""

from __future__ import annotations

import io
import wave

from gui.presenters import SOUNDS
from gui.sounds import MELODIES, SoundPlayer, tone_wav


def test_every_outcome_has_its_own_sound():
    assert set(SOUNDS.values()) == set(MELODIES)
    assert len({tone_wav(melody) for melody in MELODIES.values()}) == len(MELODIES)


def test_the_tones_are_short_mono_wav():
    for melody in MELODIES.values():
        with wave.open(io.BytesIO(tone_wav(melody))) as sound:
            seconds = sound.getnframes() / sound.getframerate()
            assert sound.getnchannels() == 1 and 0.1 <= seconds <= 1.0


def test_playing_without_an_audio_device_does_not_fail(qtbot):
    player = SoundPlayer()
    assert player.backend
    for name in MELODIES:
        player.play(name)
    player.play("no such sound")
    player.enabled = False
    player.play("valid")
