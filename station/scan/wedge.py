"""Keyboard-wedge barcode scanners: tell a scan from human typing.

A USB "keyboard wedge" scanner types the QR content as keystrokes, a few milliseconds apart,
followed by a terminator (Enter by default, Tab on some configurations, nothing on others).  The
same keyboard input also carries a person typing, 80-300 ms between keys.  Timing is the only thing
that separates the two, so `WedgeBurstDetector` classifies keystrokes by the gaps between them.

Burst model
-----------
A *run* is a sequence of keystrokes each at most `max_gap_s` after the previous one.  A run ends in
one of three ways, and every keystroke ends up in exactly one outcome:

* **scan**: a terminator arrives within `max_gap_s` and the run holds at least `min_length`
  characters.  `feed` returns the text (terminator excluded).  A second terminator right behind
  the first (a CR LF suffix) is swallowed, so CR LF scanners yield one scan and no stray Enter.
  With `accept_unterminated`, a run of at least `min_length` characters followed by silence of at
  least `idle_flush_s` is also a scan; `poll` (or `feed` of the next key) returns it.
* **human**: a run shorter than `min_length` (a person's keystroke, or a quick two-key roll), ended
  by a pause or a terminator.  Its characters, terminator included, are appended to the human
  buffer, which `take_human_text()` drains.  Pull rather than callback keeps the detector pure and
  free of re-entrancy: the caller decides when and on which thread to look at manual input.
* **rejected**: a run of at least `min_length` characters that stalls (a pause instead of a
  terminator, or a pause shorter than `idle_flush_s` with `accept_unterminated`), or one that grows
  past `max_length`.  Nobody types that fast, so it is a broken scan, not manual input: it is
  dropped and counted in `rejected_bursts`.  Whatever follows it is dropped too, up to a
  terminator or a silence of `idle_flush_s`, so the tail of a stalled scan is neither taken for a
  scan of its own nor for typing, and a flood never holds more than `max_length` characters.

Human keystrokes are classified only once their run has ended, i.e. at the next keystroke or at a
`poll` after a pause: call `poll` periodically (the terminal reader does) to get them promptly.

Non-ASCII payloads (Vietnamese national QRs)
--------------------------------------------
A scanner emulating a US keyboard has no key for "ễ": depending on the model it skips the
character, types a substitute, or (in a "Unicode"/Alt-code mode) sends an input-method sequence
that the host composes into the character.  Only in the last case can the text survive, and then
the terminal or GUI toolkit delivers the composed character.  The detector passes through whatever
characters it is given, unchanged, and counts a composed character as one keystroke.  Alt-code
modes send several key events per character: if a scanner is slow in that mode, raise `max_gap_s`.

Keyboard layouts
----------------
A scan typed with US keycodes on a German or French host arrives mangled;
`station.scan.wedge_layout` recognises and repairs it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# --- Burst detection ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WedgeScan:
    """One completed scan and the monotonic time at which it was recognised."""

    text: str
    at: float


@dataclass(slots=True, kw_only=True)
class WedgeBurstDetector:
    """Classifies timed keystrokes into scans, human typing and rejected bursts.

    Configuration is the public fields; state is private.  See the module docstring for the model.
    """

    #: Longest pause between two keystrokes of one burst (scanners: 1-20 ms; people: 80 ms+).
    max_gap_s: float = 0.05
    #: Shortest scan; shorter fast runs are human (two-key rolls, a quick "ok" + Enter).
    min_length: int = 8
    #: Characters that end a scan (one character each).
    terminators: tuple[str, ...] = ("\r", "\n")
    #: Longest scan kept; longer bursts are rejected without storing more than this.
    max_length: int = 8192
    #: Silence that ends a burst for good: an unterminated scan completes after it (with
    #: `accept_unterminated`), and a stalled or overlong burst is discarded up to it.
    idle_flush_s: float = 0.15
    #: For scanners configured without a terminator.
    accept_unterminated: bool = False
    #: Bursts dropped as broken (stalled or too long), for diagnostics.
    rejected_bursts: int = field(default=0, init=False)
    _run: list[str] = field(default_factory=list, init=False, repr=False)
    _last_at: float | None = field(default=None, init=False, repr=False)
    _discarding: bool = field(default=False, init=False, repr=False)
    _after_scan: bool = field(default=False, init=False, repr=False)
    _human: str = field(default="", init=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_gap_s <= 0:
            raise ValueError("max_gap_s must be positive")
        if self.min_length < 1 or self.max_length < self.min_length:
            raise ValueError("need 1 <= min_length <= max_length")
        if not self.terminators or any(len(t) != 1 for t in self.terminators):
            raise ValueError("terminators must be single characters")
        if self.idle_flush_s < self.max_gap_s:
            raise ValueError("idle_flush_s must be at least max_gap_s")

    @property
    def pending(self) -> int:
        """Characters held for the run in progress (never more than `max_length`)."""
        return len(self._run)

    def feed(self, char: str, at: float) -> str | None:
        """Take one keystroke at monotonic time `at`; return a scan's text when one completes."""
        if len(char) != 1:
            raise ValueError("feed takes exactly one character")
        gap = self._gap(at)
        self._last_at = at
        flushed = self._end_run(gap) if gap > self.max_gap_s else None
        if self._discarding:
            self._discarding = char not in self.terminators
            return flushed
        if char in self.terminators:
            return self._on_terminator(char)
        self._on_character(char)
        return flushed

    def poll(self, at: float) -> str | None:
        """Classify a run that has gone quiet; return it if it is an unterminated scan."""
        if self._last_at is None:
            return None
        gap = self._gap(at)
        if gap <= self.max_gap_s or self._awaiting_idle_flush(gap):
            return None
        return self._end_run(gap)

    def finish(self) -> str | None:
        """The input has ended: classify the pending run as if a long silence followed."""
        return self._end_run(math.inf)

    def take_human_text(self) -> str:
        """Drain the characters classified as human typing (at most `max_length`, newest kept)."""
        text, self._human = self._human, ""
        return text

    def reset(self) -> None:
        """Forget any pending run and human text (e.g. when the input focus changes)."""
        self._run.clear()
        self._last_at = None
        self._discarding = False
        self._after_scan = False
        self._human = ""

    def _gap(self, at: float) -> float:
        return math.inf if self._last_at is None else max(0.0, at - self._last_at)

    def _awaiting_idle_flush(self, gap: float) -> bool:
        """A run that may still become an unterminated scan once the silence is long enough."""
        return self.accept_unterminated and self._is_scan_sized() and gap < self.idle_flush_s

    def _is_scan_sized(self) -> bool:
        return len(self._run) >= self.min_length

    def _on_character(self, char: str) -> None:
        self._after_scan = False
        if len(self._run) >= self.max_length:
            self._reject(discard_rest=True)
            return
        self._run.append(char)

    def _on_terminator(self, char: str) -> str | None:
        if not self._run and self._after_scan:
            self._after_scan = False
            return None
        if self._is_scan_sized():
            self._after_scan = True
            return self._take_run()
        self._add_human(self._take_run() + char)
        return None

    def _end_run(self, gap: float) -> str | None:
        """The run stopped: a pause of `gap` seconds (infinite at the end of input)."""
        self._after_scan = False
        if self._discarding:
            self._discarding = gap < self.idle_flush_s
            return None
        if not self._is_scan_sized():
            self._add_human(self._take_run())
            return None
        if self.accept_unterminated and gap >= self.idle_flush_s:
            return self._take_run()
        self._reject(discard_rest=gap < self.idle_flush_s)
        return None

    def _take_run(self) -> str:
        text = "".join(self._run)
        self._run.clear()
        return text

    def _reject(self, *, discard_rest: bool) -> None:
        """Drop the run; with `discard_rest`, also what follows until a terminator or silence."""
        self._run.clear()
        self._discarding = discard_rest
        self.rejected_bursts += 1

    def _add_human(self, text: str) -> None:
        if text:
            self._human = (self._human + text)[-self.max_length :]
