"""The chunked form `shc:/N/M/digits`: the reassembler on its own (order, repeats, conflicts,
caps, timeout) and whole chunked cards from the test issuer through the verifier."""

from __future__ import annotations

import random

import pytest
from shc_helpers import codes, issue_valid

from station.errors import Reject
from station.issuer.shc import ShcOptions, card_payload, chunk_texts, sign_jws, vaccination_bundle
from station.reasons import Reason, Status
from station.verify.shc_chunks import ChunkReassembler, parse_chunk, reassemble

pytest_plugins = ["shc_fixtures"]


class Ticker:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def chunked(shc_issuer, now):
    """A real card split into four parts (as an issuer would for a long JWS)."""
    payload = card_payload(shc_issuer.iss, vaccination_bundle(), nbf=now)
    jws = sign_jws(shc_issuer, payload, ShcOptions())
    parts = chunk_texts(jws, max_chunk=len(jws) // 4 + 1)
    assert len(parts) == 4
    return parts


def test_parts_in_any_order_and_repeated(chunked):
    assembler = ChunkReassembler()
    order = [2, 0, 2, 3, 0]
    assert [assembler.add(chunked[i]) for i in order] == [None] * 5
    assert assembler.missing() == (2,)
    card = assembler.add(chunked[1])
    assert card == "\n".join(chunked)
    assert assembler.missing() == () and assembler.total == 0


def test_single_part_card_passes_straight_through(shc_issuer, now):
    text = issue_valid(shc_issuer, now)
    assert ChunkReassembler().add(text) == text


def test_conflicting_part_drops_what_was_held(chunked):
    assembler = ChunkReassembler()
    assembler.add(chunked[0])
    forged = chunked[0][:-2] + ("11" if not chunked[0].endswith("11") else "12")
    with pytest.raises(Reject) as refused:
        assembler.add(forged)
    assert refused.value.reason == Reason.SHC_CHUNK_INVALID
    assert assembler.missing() == ()  # nothing held any more


def test_part_of_a_differently_split_card_starts_over(chunked):
    assembler = ChunkReassembler()
    assembler.add(chunked[0])
    assert assembler.add("shc:/1/2/5676") is None
    assert (assembler.total, assembler.missing()) == (2, (2,))


def test_incomplete_card_is_forgotten_after_the_timeout(chunked):
    ticker = Ticker()
    assembler = ChunkReassembler(timeout_s=30, clock=ticker)
    for part in chunked[:3]:
        assembler.add(part)
    ticker.now = 31.0
    assert assembler.missing() == ()  # the next person's parts never join these
    assert assembler.add(chunked[3]) is None
    assert assembler.missing() == (1, 2, 3)


def test_caps_on_parts_and_digits():
    with pytest.raises(Reject) as too_many:
        ChunkReassembler(max_chunks=8).add("shc:/1/9/5676")
    assert too_many.value.reason == Reason.SHC_CHUNK_INVALID
    small = ChunkReassembler(max_total_digits=10)
    small.add("shc:/1/2/567656")
    with pytest.raises(Reject) as too_big:
        small.add("shc:/2/2/567656")
    assert too_big.value.reason == Reason.TOO_LARGE


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("shc:/0/3/5676", Reason.SHC_CHUNK_INVALID),  # parts count from 1
        ("shc:/01/3/5676", Reason.SHC_CHUNK_INVALID),  # no leading zeros
        ("shc:/4/3/5676", Reason.SHC_CHUNK_INVALID),
        ("shc:/1/1/5676", Reason.SHC_CHUNK_INVALID),
        ("shc:/1//5676", Reason.SHC_CHUNK_INVALID),
        ("shc:/1/3/567", Reason.SHC_NUMERIC_INVALID),  # odd digits cannot be joined
        ("shc:/1/3/", Reason.SHC_NUMERIC_INVALID),
        ("shc:/1/3/56a6", Reason.SHC_NUMERIC_INVALID),
        ("shc:/567", Reason.SHC_NUMERIC_INVALID),
        ("http://example.com", Reason.SHC_NUMERIC_INVALID),
    ],
)
def test_malformed_parts(text, reason):
    with pytest.raises(Reject) as refused:
        parse_chunk(text)
    assert refused.value.reason == reason


def test_one_shot_reassembly_refuses_mixed_inputs(chunked, shc_issuer, now):
    whole = issue_valid(shc_issuer, now)
    cases = [
        ([whole, chunked[0]], Reason.SHC_CHUNK_INVALID),
        ([whole, whole], Reason.SHC_CHUNK_INVALID),
        ([chunked[0], "shc:/2/3/5676"], Reason.SHC_CHUNK_INVALID),
        ([chunked[0], chunked[0][:-2] + "00"], Reason.SHC_CHUNK_INVALID),
        (chunked[:3], Reason.SHC_CHUNK_MISSING),
        ([chunked[0]] * 9, Reason.SHC_CHUNK_INVALID),
    ]
    for texts, reason in cases:
        with pytest.raises(Reject) as refused:
            reassemble(texts)
        assert refused.value.reason == reason


def test_chunked_card_verifies_from_every_order(shc_verifier, chunked):
    shuffled = list(chunked)
    random.Random(7).shuffle(shuffled)
    for text in ("\n".join(chunked), " ".join(shuffled), "\r\n".join(chunked) + "\n"):
        result = shc_verifier.verify(text)
        assert result.status is Status.VALID, codes(result)


def test_chunked_card_with_a_part_missing_asks_for_it(shc_verifier, chunked):
    result = shc_verifier.verify("\n".join(chunked[1:]))
    assert (result.status, result.reason) == (Status.CHECK_MANUALLY, Reason.SHC_CHUNK_MISSING)
    assert "part 1 of 4" in result.check("prefix").message


def _split(issuer, now, family_name, max_chunk):
    payload = card_payload(issuer.iss, vaccination_bundle(family_name), nbf=now)
    return chunk_texts(sign_jws(issuer, payload, ShcOptions()), max_chunk)


def test_parts_of_two_cards_do_not_verify(shc_verifier, shc_issuer, now):
    """Same split, parts taken from two different cards: joined, the signature cannot match."""
    first, second = _split(shc_issuer, now, "Phạm", 300), _split(shc_issuer, now, "Lê", 300)
    assert len(first) == len(second) >= 2
    mixed = "\n".join([first[0], *second[1:]])
    assert shc_verifier.verify(mixed).status is Status.INVALID
