"""Hostile DIVOC payloads: ZIP bombs and disguised archives, JSON floods and nesting, JSON-LD
that escapes its signature or makes canonicalisation explode.

Every one must end INVALID with a specific reason at the stage that refused it, and the
archive reader must raise nothing but `Reject` whatever the bytes.  Their cost is measured in
bench/bench_divoc.py, not asserted here.
"""

from __future__ import annotations

import io
import json
import random
import warnings
import zipfile
from typing import Any

import pytest
from divoc_helpers import (
    deflated_zip,
    patch_headers,
    signed,
    stored_zip,
    text_of,
    text_of_json,
)

from station.errors import Reject
from station.issuer.divoc import as_text, certificate_json, pack
from station.reasons import Reason, Status
from station.verify import divoc, divoc_canon, divoc_json, divoc_zip
from station.verify.verifier import Verifier

pytest_plugins = ["divoc_fixtures"]
QR_MAX_BYTES = 2953  # binary mode, version 40, level L


def refusal(verifier: Verifier, text: str) -> tuple[str, str]:
    """(stage, reason) of the first failed check of an INVALID verdict."""
    result = verifier.verify(text)
    assert result.status is Status.INVALID, result.checks
    first = result.failed_checks[0]
    return first.name, first.code


@pytest.fixture()
def certificate(divoc_issuer) -> bytes:
    return certificate_json(signed(divoc_issuer))


def largest_space_bomb() -> bytes:
    """certificate.json of spaces, as large as still fits a QR code once deflated."""
    low, high = 1, 10_000_000
    while low < high:
        middle = (low + high + 1) // 2
        if len(deflated_zip("certificate.json", b" " * middle)) <= QR_MAX_BYTES:
            low = middle
        else:
            high = middle - 1
    return deflated_zip("certificate.json", b" " * low)


# --- ZIP ---------------------------------------------------------------------------------------


def test_a_bomb_declaring_megabytes_is_refused_before_inflating(divoc_verifier):
    bomb = largest_space_bomb()
    assert zipfile.ZipFile(io.BytesIO(bomb)).infolist()[0].file_size > 2_000_000
    assert refusal(divoc_verifier, as_text(bomb)) == ("zip", Reason.TOO_LARGE)


def test_a_bomb_lying_about_its_size_stops_at_the_declared_size(divoc_verifier):
    bomb = patch_headers(largest_space_bomb(), size=4000)
    assert refusal(divoc_verifier, as_text(bomb)) == ("zip", Reason.DECOMPRESS_FAILED)


def test_a_compression_ratio_no_json_reaches_is_refused(divoc_verifier):
    assert refusal(divoc_verifier, as_text(deflated_zip("certificate.json", bytes(16_000)))) == (
        "zip",
        Reason.TOO_LARGE,
    )


def test_bytes_after_the_archive_are_refused(certificate, divoc_verifier):
    assert refusal(divoc_verifier, as_text(pack(certificate) + b"extra")) == (
        "zip",
        Reason.TRAILING_DATA,
    )


@pytest.mark.parametrize(
    "archive",
    [
        b"PK\x03\x04",
        b"PK\x03\x04" + bytes(100),
    ],
)
def test_archives_that_are_not_archives(archive, divoc_verifier):
    assert refusal(divoc_verifier, as_text(archive)) == ("zip", Reason.DIVOC_ZIP_INVALID)


def test_an_empty_archive_holds_no_certificate(divoc_verifier):
    archive = b"PK\x03\x04garbage" + b"PK\x05\x06" + bytes(18)
    assert refusal(divoc_verifier, as_text(archive)) == ("zip", Reason.PAYLOAD_MISSING)


def test_a_truncated_archive(certificate, divoc_verifier):
    stage, reason = refusal(divoc_verifier, as_text(pack(certificate)[:-30]))
    assert (stage, reason) == ("zip", Reason.DIVOC_ZIP_INVALID)


@pytest.mark.parametrize(
    "name", ["../certificate.json", "/etc/passwd", "dir/readme.txt", "a\\b", "dir/", "C:x"]
)
def test_members_with_paths_are_refused(name, certificate, divoc_verifier):
    archive = pack(certificate, extra=[(name, b"x")])
    assert refusal(divoc_verifier, as_text(archive)) == ("zip", Reason.DIVOC_ZIP_UNSAFE)


def test_a_name_hiding_a_nul_is_refused(certificate, divoc_verifier):
    archive = stored_zip([("certificate.jsonX.exe", certificate)])
    disguised = archive.replace(b"certificate.jsonX.exe", b"certificate.json\x00.exe")
    assert refusal(divoc_verifier, as_text(disguised)) == ("zip", Reason.DIVOC_ZIP_UNSAFE)


def test_a_second_certificate_is_refused(certificate, divoc_verifier):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        archive = pack(certificate, extra=[("certificate.json", b"{}")])
    assert refusal(divoc_verifier, as_text(archive)) == ("zip", Reason.DIVOC_ZIP_UNSAFE)


def test_too_many_members(certificate, divoc_verifier):
    archive = pack(certificate, extra=[(f"f{i}", b"") for i in range(divoc_zip.MAX_MEMBERS)])
    assert refusal(divoc_verifier, as_text(archive)) == ("zip", Reason.DIVOC_ZIP_UNSAFE)


def test_a_harmless_extra_member_is_ignored(certificate, divoc_verifier):
    archive = pack(certificate, extra=[("README.txt", b"printed by the ministry")])
    assert divoc_verifier.verify(as_text(archive)).status is Status.VALID


def test_an_archive_without_the_certificate(certificate, divoc_verifier):
    archive = pack(certificate, name="cert.json")
    assert refusal(divoc_verifier, as_text(archive)) == ("zip", Reason.PAYLOAD_MISSING)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"flags": 1}, Reason.DIVOC_ZIP_INVALID),  # encrypted
        ({"method": 12}, Reason.DIVOC_ZIP_INVALID),  # bzip2
        ({"method": 99}, Reason.DIVOC_ZIP_INVALID),  # AES
        ({"crc": 0xDEADBEEF}, Reason.DECOMPRESS_FAILED),
    ],
)
def test_header_fields_a_pass_never_has(fields, reason, certificate, divoc_verifier):
    archive = patch_headers(stored_zip([("certificate.json", certificate)]), **fields)
    assert refusal(divoc_verifier, as_text(archive)) == ("zip", reason)


def test_a_corrupt_deflate_stream(divoc_verifier):
    noise = random.Random(7).randbytes(300).hex().encode()
    archive = bytearray(deflated_zip("certificate.json", b'{"a": "' + noise + b'"}'))
    archive[40:48] = b"\xff" * 8
    assert refusal(divoc_verifier, as_text(bytes(archive))) == ("zip", Reason.DECOMPRESS_FAILED)


def test_a_streamed_archive_with_data_descriptors_is_read(certificate, divoc_verifier):
    """JSZip in streaming mode writes sizes after the data (flag bit 3), as real CoWIN QRs do."""

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, chunk: Any) -> int:
            self.data += chunk
            return len(chunk)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        archive.writestr("certificate.json", certificate)
    assert zipfile.ZipFile(io.BytesIO(bytes(sink.data))).infolist()[0].flag_bits & 0x08
    assert divoc_verifier.verify(as_text(bytes(sink.data))).status is Status.VALID


def test_an_archive_needing_a_newer_zip_reader(certificate, divoc_verifier):
    archive = bytearray(pack(certificate))
    central = archive.index(b"PK\x01\x02")
    archive[central + 6 : central + 8] = (64).to_bytes(2, "little")  # "version needed": 6.4
    assert refusal(divoc_verifier, as_text(bytes(archive))) == ("zip", Reason.DIVOC_ZIP_INVALID)


def test_a_text_longer_than_any_qr_code(divoc_verifier):
    assert refusal(divoc_verifier, "PK\x03\x04" + "A" * 5000) == ("prefix", Reason.INPUT_TOO_LONG)


def test_archive_bytes_that_came_through_utf8():
    assert divoc.zip_bytes("PK\x03\x04\u0101", 100) == b"PK\x03\x04\xc4\x81"
    assert divoc.zip_bytes("PK\x03\x04\xe9", 100) == b"PK\x03\x04\xe9"


def test_mutated_archives_raise_nothing_but_reject(certificate):
    """Random byte flips anywhere in a real archive: the reader refuses or reads, never crashes."""
    original = pack(certificate)
    rng = random.Random(20260601)
    outcomes: set[str] = set()
    for _ in range(3000):
        mutated = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        try:
            divoc_zip.certificate_from_zip(bytes(mutated))
            outcomes.add("read")
        except Reject as exc:
            outcomes.add(exc.reason)
    assert Reason.DECOMPRESS_FAILED in outcomes and len(outcomes) >= 3


# --- JSON --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 1, "a": 2}',
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b"\xef\xbb\xbf{}",
        b'{"a": "\xff"}',
        b"[1, 2]",
        b'"a JSON string"',
        b"{",
        b"[" * 20 + b"]" * 20,
    ],
)
def test_json_a_certificate_never_is(raw, divoc_verifier):
    assert refusal(divoc_verifier, text_of_json(raw)) == ("json", Reason.DIVOC_JSON_INVALID)


def test_a_flood_of_objects(divoc_verifier):
    raw = json.dumps({"a": [{} for _ in range(divoc_json.MAX_OBJECTS)]}).encode()
    assert refusal(divoc_verifier, text_of_json(raw)) == ("json", Reason.TOO_LARGE)


def test_a_flood_of_values(divoc_verifier):
    raw = json.dumps({"a": list(range(divoc_json.MAX_VALUES))}).encode()
    assert refusal(divoc_verifier, text_of_json(raw)) == ("json", Reason.TOO_LARGE)


def test_a_certificate_larger_than_any_real_one(divoc_verifier):
    raw = json.dumps({"a": "x" * (divoc_zip.MAX_CERTIFICATE_BYTES + 1)}).encode()
    assert refusal(divoc_verifier, text_of_json(raw)) == ("zip", Reason.TOO_LARGE)


def test_nesting_beyond_the_parser_s_recursion_is_refused():
    with pytest.raises(Reject) as caught:
        divoc_json.parse_certificate(b"[" * 8000 + b"]" * 8000, 16_000)
    assert caught.value.reason is Reason.DIVOC_JSON_INVALID


def test_depth_is_checked_after_parsing():
    with pytest.raises(Reject) as caught:
        divoc_json.parse_certificate(b'{"a":' * 12 + b"1" + b"}" * 12, 10_000)
    assert caught.value.reason is Reason.DIVOC_JSON_INVALID
    assert divoc_json.parse_certificate(b'{"a":' * 11 + b"1" + b"}" * 11, 10_000)


# --- JSON-LD -----------------------------------------------------------------------------------


def complete_graph(size: int, prefix: str = "b") -> list[dict[str, Any]]:
    """`size` unnamed nodes, each linked to every other: the URDNA2015 worst case."""
    link = "https://schema.org/knows"
    return [
        {"@id": f"_:{prefix}{i}", link: [{"@id": f"_:{prefix}{j}"} for j in range(size) if j != i]}
        for i in range(size)
    ]


def compact_complete_graph(size: int) -> list[dict[str, Any]]:
    """The same graph in one object per node: credentials v1 makes `evidence` an @id link."""
    return [
        {
            "id": f"_:v{i}",
            "type": "VerifiableCredential",
            "evidence": [f"_:v{j}" for j in range(size) if j != i],
        }
        for i in range(size)
    ]


def test_a_poison_graph_in_a_signed_credential_is_refused(divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    credential["credentialSubject"]["https://schema.org/knows"] = compact_complete_graph(7)
    assert refusal(divoc_verifier, text_of(credential)) == ("jsonld", Reason.DIVOC_JSONLD_INVALID)


def test_densely_linked_unnamed_nodes_are_refused_before_canonicalising():
    with pytest.raises(Reject) as caught:
        divoc_canon.canonical_nquads({"@graph": complete_graph(8)})
    assert "densely" in caught.value.detail


def test_many_unnamed_nodes_are_refused():
    link = "https://schema.org/next"
    chain = [{"@id": f"_:n{i}", link: {"@id": f"_:n{i + 1}"}} for i in range(40)]
    with pytest.raises(Reject) as caught:
        divoc_canon.canonical_nquads({"@graph": chain})
    assert "unnamed nodes" in caught.value.detail


def test_the_permutation_budget_stops_symmetric_graphs():
    """Seven interchangeable nodes pass the link cap; the work budget stops them."""
    with pytest.raises(Reject) as caught:
        divoc_canon.canonical_nquads({"@graph": complete_graph(7)})
    assert caught.value.reason is Reason.DIVOC_JSONLD_INVALID
    assert "too complex" in caught.value.detail


def test_small_symmetric_graphs_still_canonicalise():
    nquads = divoc_canon.canonical_nquads({"@graph": complete_graph(3)})
    assert nquads.count("_:c14n") == 12 and "_:b" not in nquads


def test_an_unknown_term_deep_inside_evidence(divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    credential["evidence"][0]["facility"]["address"]["floor"] = "3"
    assert refusal(divoc_verifier, text_of(credential)) == ("jsonld", Reason.DIVOC_JSONLD_INVALID)


def test_a_type_that_is_no_iri(divoc_issuer, divoc_verifier):
    credential = signed(divoc_issuer)
    credential["evidence"][0]["type"] = ["Vaccination", "Booster"]
    assert refusal(divoc_verifier, text_of(credential)) == ("jsonld", Reason.DIVOC_JSONLD_INVALID)
