"""Enrollment: a station registers once with a hub and keeps its identity in a 0600 file.

The operator gets an enrollment code and the hub's key fingerprint from the hub's admin. The
station accepts the hub's keys only if one of them has the pinned fingerprint, so a network
attacker who answers the enrollment cannot slip in their own bundle-signing key. The token the
hub returns authenticates every later sync and upload request.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric import ec

from station.paths import enrollment_path
from sync.bundle import key_fingerprint, key_id, load_public_key
from sync.errors import DataInvalid, NotEnrolled, SignatureRejected

if TYPE_CHECKING:
    from sync.http import BackendClient, HttpLimits

ENROLL_PATH = "station/v1/enroll"


@dataclass(frozen=True, slots=True)
class Enrollment:
    """Who this station is at which hub, and the hub keys it pins."""

    hub_url: str
    station_id: str
    token: str
    hub_keys_pem: tuple[str, ...]
    ca_file: str | None
    enrolled_at: str

    def pinned_keys(self) -> dict[str, ec.EllipticCurvePublicKey]:
        keys = [load_public_key(pem.encode("ascii")) for pem in self.hub_keys_pem]
        return {key_id(key): key for key in keys}

    def client(self, limits: HttpLimits | None = None) -> BackendClient:
        from sync.http import BackendClient  # requests loads only when the hub is called

        return BackendClient(self.hub_url, ca_file=self.ca_file, token=self.token, limits=limits)

    def to_json(self) -> dict[str, Any]:
        return {
            "hub_url": self.hub_url,
            "station_id": self.station_id,
            "token": self.token,
            "hub_keys": list(self.hub_keys_pem),
            "ca_file": self.ca_file,
            "enrolled_at": self.enrolled_at,
        }


def enroll(
    hub_url: str,
    code: str,
    pin: str,
    *,
    name: str = "",
    ca_file: str | None = None,
    device_key_pem: str | None = None,
    now: datetime,
) -> Enrollment:
    """Register at the hub with a one-time code; the hub's keys must include the pinned one.

    `device_key_pem` is the public half of the key this station signs its uploads with, so the
    hub can refuse entries that did not come from this device even if its token leaked.
    """
    from sync.http import BackendClient

    request: dict[str, str] = {"code": code.strip(), "name": name}
    if device_key_pem is not None:
        request["device_key"] = device_key_pem
    with BackendClient(hub_url, ca_file=ca_file) as client:
        answer = client.post_json(ENROLL_PATH, request).json()
    if not isinstance(answer, dict):
        raise DataInvalid("the enrollment answer is not an object")
    keys_pem = answer.get("hub_keys")
    if not isinstance(keys_pem, list) or not keys_pem:
        raise DataInvalid("the hub sent no keys")
    # Only the key the operator pinned is kept: any other key in the answer is unvouched for
    # (a rotated-in key reaches the station later, announced under this one).
    pinned = [
        str(pem)
        for pem in keys_pem
        if key_fingerprint(load_public_key(str(pem).encode("ascii"))) == pin.strip().lower()
    ]
    if not pinned:
        raise SignatureRejected("the hub's keys do not match the pinned fingerprint")
    station_id, token = answer.get("station_id"), answer.get("token")
    if not isinstance(station_id, str) or not isinstance(token, str) or not token:
        raise DataInvalid("the enrollment answer lacks the station id or token")
    return Enrollment(hub_url, station_id, token, tuple(pinned), ca_file, now.isoformat())


def save_enrollment(enrollment: Enrollment, data_dir: Path) -> Path:
    """Write the enrollment file readable by this user only, atomically."""
    data_dir.mkdir(parents=True, exist_ok=True)
    target = enrollment_path(data_dir)
    handle, temporary = tempfile.mkstemp(dir=data_dir, prefix=".enrollment-")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(enrollment.to_json(), stream, indent=2)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def load_enrollment(data_dir: Path) -> Enrollment:
    """The saved enrollment; `NotEnrolled` when there is none or it is unreadable."""
    path = enrollment_path(data_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return _from_json(data)
    except FileNotFoundError as exc:
        raise NotEnrolled() from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NotEnrolled(f"{path} is unreadable") from exc


def _from_json(data: Mapping[str, Any]) -> Enrollment:
    return Enrollment(
        hub_url=str(data["hub_url"]),
        station_id=str(data["station_id"]),
        token=str(data["token"]),
        hub_keys_pem=tuple(str(pem) for pem in data["hub_keys"]),
        ca_file=str(data["ca_file"]) if data.get("ca_file") else None,
        enrolled_at=str(data.get("enrolled_at", "")),
    )
