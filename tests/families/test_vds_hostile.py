"""Hostile VDS-NC texts: every one ends INVALID with a specific reason, never an exception.

Huge JSON, deep nesting, floods of members, duplicate members, numbers without a double,
lone surrogates, damaged or oversized certificates, unknown algorithms.  The time each takes is
measured by bench/bench_vds.py, not asserted here.
"""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.issuer.vds import b64url, issue_vds, seal_document, to_text, vaccination_message
from station.reasons import Reason, Status

pytest_plugins = ["vds_fixtures"]


def _seal_with(vds_signer, edit) -> str:
    document = seal_document(vds_signer, vaccination_message())
    edit(document)
    return to_text(document)


def _hostile_texts(vds_signer) -> list[tuple[str, str, set[Reason]]]:
    valid = issue_vds(vds_signer, vaccination_message())
    return [
        ("beyond a QR code", valid[:-1] + " " * 5000 + "}", {Reason.INPUT_TOO_LONG}),
        ("deep nesting", '{"hdr": ' + "[" * 2_000 + "]" * 2_000 + "}", {Reason.VDS_TOO_DEEP}),
        ("moderate nesting", '{"hdr": ' + "[" * 9 + "]" * 9 + "}", {Reason.VDS_TOO_DEEP}),
        ("value flood", '{"hdr": [' + ",".join(["0"] * 1100) + "]}", {Reason.VDS_JSON_INVALID}),
        (
            "member flood",
            '{"hdr": {' + ",".join(f'"{i:x}":0' for i in range(400)) + "}}",
            {Reason.VDS_STRUCTURE_INVALID},
        ),
        ("duplicate data", valid[:-1] + ',"data":{}}', {Reason.VDS_DUPLICATE_KEY}),
        ("NaN", '{"hdr": NaN}', {Reason.VDS_JSON_INVALID}),
        ("infinity literal", '{"hdr": 1e999}', {Reason.VDS_JSON_INVALID}),
        ("digit flood", '{"hdr": ' + "9" * 4200 + "}", {Reason.VDS_STRUCTURE_INVALID}),
        ("trailing data", valid + "{}", {Reason.VDS_JSON_INVALID}),
        ("truncated", valid[: len(valid) // 2], {Reason.VDS_JSON_INVALID}),
        ("lone surrogate", _seal_with(vds_signer, _name("\ud83d")), {Reason.VDS_JSON_INVALID}),
        ("huge integer", _seal_with(vds_signer, _uvci(10**400)), {Reason.VDS_JSON_INVALID}),
        (
            "garbage certificate",
            _seal_with(vds_signer, _cer("AAAA")),
            {Reason.VDS_SIGNER_CERT_INVALID},
        ),
        (
            "oversized certificate",
            _seal_with(vds_signer, _cer("A" * 3000)),
            {Reason.VDS_SIGNER_CERT_INVALID},
        ),
        (
            "certificate in base64 with +/",
            _seal_with(vds_signer, _cer("MII+/AAA")),
            {Reason.VDS_SIGNER_CERT_INVALID},
        ),
        (
            "certificate of the wrong type",
            _seal_with(vds_signer, _cer(b64url(b"\x30\x03\x02\x01\x01"))),
            {Reason.VDS_SIGNER_CERT_INVALID},
        ),
        ("alg none", _seal_with(vds_signer, _alg("none")), {Reason.ALG_UNSUPPORTED}),
        ("alg HS256", _seal_with(vds_signer, _alg("HS256")), {Reason.ALG_UNSUPPORTED}),
        ("alg object", _seal_with(vds_signer, _alg({"name": "ES256"})), {Reason.ALG_UNSUPPORTED}),
        ("alg list", _seal_with(vds_signer, _alg(["ES256"])), {Reason.ALG_UNSUPPORTED}),
        (
            "signature flood",
            _seal_with(vds_signer, _sigvl("A" * 2000)),
            {Reason.SIGNATURE_MALFORMED},
        ),
        ("top-level array", '[{"hdr": 1}]', {Reason.NOT_A_HEALTH_CREDENTIAL}),
        ("only whitespace and hdr", ' {"hdr"', {Reason.VDS_JSON_INVALID}),
    ]


def _name(value):
    return lambda document: document["data"]["msg"]["pid"].update(n=value)


def _uvci(value):
    return lambda document: document["data"]["msg"].update(uvci=value)


def _cer(value):
    return lambda document: document["sig"].update(cer=value)


def _alg(value):
    return lambda document: document["sig"].update(alg=value)


def _sigvl(value):
    return lambda document: document["sig"].update(sigvl=value)


def test_hostile_texts_are_invalid_with_a_reason(vds_verifier, vds_signer):
    for label, text, reasons in _hostile_texts(vds_signer):
        result = vds_verifier.verify(text)
        assert result.status is Status.INVALID, label
        failed = {check.code for check in result.failed_checks}
        assert failed & reasons, (label, failed)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_random_byte_edits_never_raise(vds_verifier, vds_signer, data):
    """Any edit of a genuine seal is either refused with a reason or (if it only touched
    whitespace or member order) still valid; nothing raises."""
    text = issue_vds(vds_signer, vaccination_message())
    position = data.draw(st.integers(0, len(text) - 1))
    replacement = data.draw(st.sampled_from(['"', "{", "}", "[", ",", ":", "\\", "0", "x", ""]))
    edited = text[:position] + replacement + text[position + 1 :]
    result = vds_verifier.verify(edited)
    if result.status is not Status.VALID:
        assert result.failed_checks, edited


def test_shuffled_members_and_whitespace_are_not_tampering(vds_verifier, vds_signer):
    document = json.loads(issue_vds(vds_signer, vaccination_message()))
    rng = random.Random(7)

    def shuffle(value):
        if isinstance(value, dict):
            items = list(value.items())
            rng.shuffle(items)
            return {key: shuffle(item) for key, item in items}
        if isinstance(value, list):
            return [shuffle(item) for item in value]
        return value

    text = json.dumps(shuffle(document), indent=1, ensure_ascii=True)
    assert vds_verifier.verify(text).status is Status.VALID
