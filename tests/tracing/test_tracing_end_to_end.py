"""The whole tracing path with real processes: enroll, sync, scan, upload, trace.

A station enrolls at a real hub on 127.0.0.1 with `station enroll` (which registers its device
key and fetches the authority's sealing key), syncs its trust data, scans QR images of real
signed passes whose holder is a canary name, uploads with `station upload`, and the authority
traces the case at the hub. The canary must then be nowhere in the station's files, and every
decryption at the hub must be in the audit trail.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station.entrylog.sealing import SealingKey, generate_authority_key
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.pki import make_signer
from station.issuer.qr_image import qr_png
from sync.hub import Hub, HubServer
from sync.hub.tracing import TraceRequest

STATION = [sys.executable, "-m", "station.cli.main"]


def station(base: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [*STATION, "--data-dir", str(base), *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{args[0]} failed: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture()
def hub(tmp_path: Path) -> Iterator[Hub]:
    with Hub(tmp_path / "hub" / "hub.sqlite") as opened:
        yield opened


@pytest.fixture()
def server(hub: Hub) -> Iterator[HubServer]:
    running = HubServer(hub).start()
    yield running
    running.stop()


def pass_images(folder: Path, hub: Hub, people: list[tuple[str, str]]) -> None:
    """QR images of real signed passes, one per (family name, date of birth)."""
    now = datetime.now(UTC)
    signer = make_signer(country="VN", not_before=now - timedelta(days=30))
    hub.add_dscs([signer.der])
    folder.mkdir()
    for number, (family, dob) in enumerate(people):
        certificate = vaccination_payload(family=family, given="Thi", dob=dob)
        certificate["v"][0]["ci"] = f"URN:UVCI:01:VN:E2E{number:012d}"
        text = issue_dcc(
            signer, certificate, issued_at=now - timedelta(days=1), expires=now + timedelta(days=90)
        )
        (folder / f"pass-{number}.png").write_bytes(qr_png(text))


def test_a_scanned_person_is_traced_at_the_hub_and_leaves_no_trace_on_the_station(
    tmp_path: Path, hub: Hub, server: HubServer
) -> None:
    base = tmp_path / "station"
    authority = generate_authority_key()
    hub.set_sealing_key(SealingKey(authority.public_key()))
    canary, dob = "ZZCANARY" + "".join(secrets.choice("QWXYZ") for _ in range(8)), "1917-02-28"

    enrolled = station(
        base,
        "enroll",
        "--hub",
        server.url,
        "--code",
        hub.create_enrollment_code("gate"),
        "--pin",
        hub.key_fingerprint(),
        "--name",
        "gate-1",
    )
    assert "sealing-key" in enrolled.stdout and (base / "sealing-key.json").exists()
    assert (base / "device-key.pem").stat().st_mode & 0o777 == 0o600
    pass_images(tmp_path / "passes", hub, [(canary, dob), ("Contact", "1980-01-01")])
    station(base, "sync")
    scanned = station(
        base,
        "scan",
        "--source",
        f"dir:{tmp_path / 'passes'}",
        "--once",
        "--json",
        "--as-fast-as-possible",
    )
    assert scanned.stdout.count('"status": "VALID"') == 2
    assert scanned.stdout.count('"recorded": true') == 2
    uploaded = station(base, "upload")

    trace = hub.trace(
        authority,
        TraceRequest(case_id="CASE-1", operator="tracer", name=f"{canary} Thi", date_of_birth=dob),
    )
    case = [entry.identity for entry in trace.case_entries]
    assert len(case) == 1 and case[0] is not None and canary in case[0].name.upper()
    contacts = [entry.identity.name for entry in trace.contacts if entry.identity]
    assert any("CONTACT" in name.upper() for name in contacts)
    assert len(hub.audit_trail("CASE-1")) >= trace.decrypted > 0
    # `station scan` prints the verdict, name included, for the guard: that is the display. What
    # runs unattended (sync, upload) and everything written to disk must not carry the name.
    leaks = _files_with(base, canary) + _text_with(canary, enrolled.stdout, uploaded.stdout)
    assert leaks == []


def _encodings(secret: str) -> list[bytes]:
    raw = secret.encode()
    found = [raw, secret.encode("utf-16-le")]
    for shift in range(3):
        found.append(base64.b64encode(b"\0" * shift + raw)[4 if shift else 0 :][:12])
    return found


def _files_with(folder: Path, secret: str) -> list[str]:
    hits = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            data = (Path(root) / name).read_bytes()
            if any(needle in data for needle in _encodings(secret)):
                hits.append(name)
    return hits


def _text_with(secret: str, *texts: str) -> list[str]:
    return [text[:40] for text in texts if secret in text]
