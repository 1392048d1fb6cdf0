"""T32 (upload part) and T34 (station side): a scan-like flow with canary holders through the
real verifier, entry log, `station upload` process, proxy and hub.

The canary name and date of birth must appear nowhere in plaintext (UTF-8, UTF-16 or base64):
not in the station's files, the hub's database files, the uploader's output or the bytes on the
wire. Yet the authority's key opens the hub's sealed blocks and finds them, which proves they
were sealed and not simply dropped. Every uploaded entry, whatever its verdict, carries exactly
the allow-listed fields.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from upload_credentials import Canary, Scan, other_verdicts, verified_family_results
from upload_helpers import CHECKPOINT, RecordingProxy, Station, enroll_station, local_states

from station.entrylog.sealing import SealError, SealingKey, open_sealed
from station.entrylog.writer import EntryLog
from station.verify import nzcp
from sync.hub import Hub

pytest_plugins = ["upload_fixtures"]

ALLOWED_ENTRY_KEYS = {
    "uuid",
    "seq",
    "checkpoint_id",
    "direction",
    "minute",
    "clock_trusted",
    "verdict",
    "reason",
    "format",
    "data_version",
    "sealed",
}
PERSONAL = ("dcc", "shc", "nzcp", "invalid")


@dataclass(frozen=True)
class Uploaded:
    """What one scan-record-upload round left behind, for the checks."""

    canary: Canary
    scans: dict[str, Scan]
    uuids: dict[str, str]
    station: Station
    proxy: RecordingProxy
    output: bytes


@pytest.fixture()
def uploaded(
    tmp_path: Path,
    hub: Hub,
    proxy_factory,
    sealing_key: SealingKey,
    es256_signer,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> Uploaded:
    monkeypatch.setattr(nzcp, "TRUSTED_ISSUERS", nzcp.WITH_TEST_ISSUER)
    proxy = proxy_factory()
    station = enroll_station(hub, proxy.url, tmp_path / "station", now)
    canary = Canary.new()
    scans = verified_family_results(canary, es256_signer, station.base / "cache.sqlite", now)
    assert {str(scan.result.status) for scan in scans.values()} == {"VALID"}
    scans |= other_verdicts(canary, es256_signer, now)
    uuids = {}
    with EntryLog(station.log, sealing_key=sealing_key) as log:
        for label, scan in scans.items():
            logged = log.record(
                scan.result, direction="in", checkpoint_id=CHECKPOINT, clock_trusted=True, now=now
            )
            uuids[label] = logged.uuid
    command = [sys.executable, "-m", "station.cli.main", "--data-dir", str(station.base)]
    done = subprocess.run(
        [*command, "upload", "--batch-size", "4"], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert set(local_states(station).values()) == {"uploaded"}
    return Uploaded(canary, scans, uuids, station, proxy, done.stdout + done.stderr)


def _leaks(data: bytes, needles: dict[str, bytes]) -> list[str]:
    return [label for label, needle in needles.items() if needle in data]


def test_the_canary_appears_nowhere_in_plaintext(uploaded: Uploaded, hub: Hub) -> None:
    needles = uploaded.canary.needles()
    for scan in uploaded.scans.values():  # the raw scanned texts are never kept either
        needles[f"raw text {scan.text[:12]}"] = scan.text[:60].encode("utf-8")
    places: dict[str, bytes] = {"uploader output": uploaded.output}
    files = [p for p in uploaded.station.base.rglob("*") if p.is_file()]
    files += [p for p in hub.path.parent.iterdir() if p.is_file()]
    assert uploaded.station.log in files and hub.path in files
    for path in files:
        places[str(path)] = path.read_bytes()
    for number, exchange in enumerate(uploaded.proxy.exchanges):
        headers = json.dumps(exchange.headers).encode()
        places[f"exchange {number} {exchange.path}"] = headers + exchange.body + exchange.answer
    assert len(uploaded.proxy.entry_bodies()) == 2  # 6 entries in batches of 4
    leaks = {place: found for place, data in places.items() if (found := _leaks(data, needles))}
    assert leaks == {}
    for shift in range(3):  # the search itself finds each form where one is planted
        planted = ("-" * shift + uploaded.canary.name).encode()
        assert _leaks(base64.b64encode(planted), needles)
        assert _leaks(base64.urlsafe_b64encode(planted), needles)
    assert _leaks(uploaded.canary.name.encode("utf-16-le"), needles)


def test_only_the_authority_opens_the_hubs_sealed_blocks(
    uploaded: Uploaded, hub: Hub, authority_key: X25519PrivateKey
) -> None:
    with hub.read() as conn:
        rows = dict(conn.execute("SELECT uuid, sealed FROM entries").fetchall())
    assert set(rows) == set(uploaded.uuids.values())
    for label, uuid in uploaded.uuids.items():
        if label not in PERSONAL:
            assert rows[uuid] is None  # nothing to seal: nothing personal was kept
            continue
        identity = json.loads(open_sealed(authority_key, bytes(rows[uuid]), uuid.encode()))
        assert uploaded.canary.name in identity["name"]
        assert identity["date_of_birth"] == uploaded.canary.dob
        with pytest.raises(SealError):  # bound to its entry: another UUID does not open it
            open_sealed(authority_key, bytes(rows[uuid]), uploaded.uuids["garbage"].encode())
    # The station holds no key that could open them (its only private key is the P-256 one).
    for path in uploaded.station.base.rglob("*"):
        if not path.is_file() or b"PRIVATE KEY" not in path.read_bytes():
            continue
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert not isinstance(key, X25519PrivateKey), f"{path.name} could open sealed blocks"
    some = uploaded.uuids["dcc"]
    with pytest.raises(SealError):
        open_sealed(X25519PrivateKey.generate(), bytes(rows[some]), some.encode())


def test_every_verdict_uploads_exactly_the_allow_listed_fields(uploaded: Uploaded) -> None:
    entries = []
    for body in uploaded.proxy.entry_bodies():
        document = json.loads(body)
        assert set(document) == {"station_id", "log", "entries"}
        assert set(document["log"]) == {"next_seq"}
        entries.extend(document["entries"])
    assert len(entries) == len(uploaded.scans)
    for entry in entries:
        assert set(entry) == ALLOWED_ENTRY_KEYS
    by_uuid = {entry["uuid"]: entry for entry in entries}
    seen = {label: by_uuid[uuid] for label, uuid in uploaded.uuids.items()}
    assert {entry["verdict"] for entry in seen.values()} == {"VALID", "INVALID", "CHECK_MANUALLY"}
    assert seen["garbage"]["format"] == "unknown" and seen["garbage"]["sealed"] is None
    assert seen["check_manually"]["verdict"] == "CHECK_MANUALLY"
    assert all(seen[label]["sealed"] for label in PERSONAL)
