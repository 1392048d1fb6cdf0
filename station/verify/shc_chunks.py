"""Chunked SMART Health Cards (`shc:/N/M/digits`): putting the parts of one card back together.

Spec versions before 1.3.0 split a JWS longer than 1,195 characters over several QR codes, each
`shc:/<part>/<parts>/<digits>`; the form is deprecated but printed cards still carry it.  A
kiosk sees the parts one scan at a time, in any order and often twice, so `ChunkReassembler`
holds the parts of one card until all are in.  It is pure (no I/O, time from an injected
monotonic clock) and bounded three ways: a card of more than `MAX_CHUNKS` parts is refused, the
digits held never exceed `MAX_TOTAL_DIGITS`, and an incomplete card is forgotten `timeout_s`
after its first part, so the parts of one person never merge with the next person's.

A complete card comes out as its parts in order, one per line: the text `Verifier.verify` (and
`station verify`) accepts for a chunked card, which `reassemble` turns back into one digit
string for the numeric stage.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from station.errors import Reject
from station.reasons import Reason
from station.verify.shc_decode import PREFIX, require_digits

#: More parts than any real card used (the spec's own large example has 3).
MAX_CHUNKS = 8
#: Digits held for one card: 8 parts of the spec's largest chunk (1,191 JWS characters).
MAX_TOTAL_DIGITS = MAX_CHUNKS * 1191 * 2
#: A person shows the parts of one card within seconds; after this an incomplete card is dropped.
TIMEOUT_S = 30.0
_NUMBERED = re.compile(r"([1-9][0-9]{0,2})/([1-9][0-9]{0,2})/")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One scanned part: `index` of `total` (1 of 1 for an unchunked card) and its digits."""

    index: int
    total: int
    digits: str

    @property
    def text(self) -> str:
        if self.total == 1:
            return PREFIX + self.digits
        return f"{PREFIX}{self.index}/{self.total}/{self.digits}"


def parse_chunk(text: str, *, check_whole: bool = True) -> Chunk:
    """`shc:/digits` or `shc:/N/M/digits`.

    A numbered part's digits are checked here, since parts are joined digit for digit; an
    unnumbered card's only when `check_whole` (the pipeline leaves that to its numeric stage).
    """
    if not text.startswith(PREFIX):
        raise Reject(Reason.SHC_NUMERIC_INVALID, "text other than a card after the first part")
    rest = text[len(PREFIX) :]
    numbered = _NUMBERED.match(rest)
    if numbered is None:
        if "/" in rest[:8]:
            raise Reject(Reason.SHC_CHUNK_INVALID, "malformed part number")
        if check_whole:
            require_digits(rest)
        return Chunk(1, 1, rest)
    index, total = int(numbered.group(1)), int(numbered.group(2))
    if total < 2:
        raise Reject(Reason.SHC_CHUNK_INVALID, "a card in one part must not be numbered")
    if index > total:
        raise Reject(Reason.SHC_CHUNK_INVALID, f"part {index} of only {total}")
    digits = rest[numbered.end() :]
    require_digits(digits)
    return Chunk(index, total, digits)


class ChunkReassembler:
    """Collects the parts of one chunked card; `add` returns the whole card once complete."""

    def __init__(
        self,
        *,
        max_chunks: int = MAX_CHUNKS,
        max_total_digits: int = MAX_TOTAL_DIGITS,
        timeout_s: float = TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_chunks = max_chunks
        self.max_total_digits = max_total_digits
        self.timeout_s = timeout_s
        self.clock = clock
        self._parts: dict[int, Chunk] = {}
        self._total = 0
        self._held = 0
        self._started = 0.0

    def add(self, text: str) -> str | None:
        """The complete card (its parts in order, one per line), or None while parts are missing.

        `Reject` for a part that cannot belong to any card; a part that contradicts the ones
        held also drops them.  A part of a card split another number of ways starts over.
        """
        parts = self.add_chunk(parse_chunk(text))
        return None if parts is None else "\n".join(part.text for part in parts)

    def add_chunk(self, chunk: Chunk) -> tuple[Chunk, ...] | None:
        """`add` for a parsed part: every part in order once complete."""
        if chunk.total == 1:
            self.reset()
            return (chunk,)
        if chunk.total > self.max_chunks:
            raise Reject(
                Reason.SHC_CHUNK_INVALID, f"split into {chunk.total} parts, over {self.max_chunks}"
            )
        self._expire()
        if self._parts and chunk.total != self._total:
            self.reset()
        held = self._parts.get(chunk.index)
        if held is not None:
            if held.digits != chunk.digits:
                self.reset()
                raise Reject(Reason.SHC_CHUNK_INVALID, f"two different parts {chunk.index}")
            return None
        if self._held + len(chunk.digits) > self.max_total_digits:
            self.reset()
            raise Reject(Reason.TOO_LARGE, f"parts hold over {self.max_total_digits} digits")
        if not self._parts:
            self._total, self._started = chunk.total, self.clock()
        self._parts[chunk.index] = chunk
        self._held += len(chunk.digits)
        return self._complete()

    def missing(self) -> tuple[int, ...]:
        """The part numbers still awaited (empty when nothing is held)."""
        self._expire()
        return tuple(i for i in range(1, self._total + 1) if i not in self._parts)

    @property
    def total(self) -> int:
        """How many parts the card being collected has (0 when nothing is held)."""
        return self._total

    def reset(self) -> None:
        """Forget every part held."""
        self._parts.clear()
        self._total = self._held = 0

    def _expire(self) -> None:
        if self._parts and self.clock() - self._started > self.timeout_s:
            self.reset()

    def _complete(self) -> tuple[Chunk, ...] | None:
        if len(self._parts) < self._total:
            return None
        parts = tuple(self._parts[i] for i in range(1, self._total + 1))
        self.reset()
        return parts


def reassemble(texts: Sequence[str], *, max_chunks: int = MAX_CHUNKS) -> str:
    """Every part of one card given at once (any order) → the card's digits, joined in order."""
    if not texts:
        raise Reject(Reason.INPUT_EMPTY)
    if len(texts) > max_chunks:
        raise Reject(Reason.SHC_CHUNK_INVALID, f"{len(texts)} parts, at most {max_chunks}")
    chunks = [parse_chunk(text, check_whole=False) for text in texts]
    if len(chunks) == 1 and chunks[0].total == 1:  # the usual case: one whole card
        return chunks[0].digits
    if len({chunk.total for chunk in chunks}) > 1:
        raise Reject(Reason.SHC_CHUNK_INVALID, "parts of cards split in different ways")
    if len(chunks) > 1 and chunks[0].total == 1:
        raise Reject(Reason.SHC_CHUNK_INVALID, "several whole cards at once")
    unique: dict[int, Chunk] = {}
    for chunk in chunks:
        if unique.setdefault(chunk.index, chunk).digits != chunk.digits:
            raise Reject(Reason.SHC_CHUNK_INVALID, f"two different parts {chunk.index}")
    assembler = ChunkReassembler(max_chunks=max_chunks, clock=lambda: 0.0)
    parts = None
    for index in sorted(unique):
        parts = assembler.add_chunk(unique[index])
    if parts is None:
        awaited = assembler.missing()
        listed = ", ".join(str(i) for i in awaited)
        noun = "part" if len(awaited) == 1 else "parts"
        raise Reject(Reason.SHC_CHUNK_MISSING, f"{noun} {listed} of {assembler.total} not scanned")
    return "".join(part.digits for part in parts)
