"""A station data folder with a demo authority's signers trusted, and its passes as QR images.

For the screenshot script, the app benchmark and the tests: the same passes `station demo`
uses (valid, expired, wrong key usage, unknown issuer, tampered, a shop barcode), written as
PNG files a `file:<folder>` source plays as a camera.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from station.issuer.demo_set import DemoAuthority, DemoPass, demo_now, demo_passes, make_authority
from station.issuer.qr_image import qr_png
from station.paths import trust_db_path
from station.store.trust import SqliteTrustStore


@dataclass(frozen=True)
class DemoStation:
    base: Path
    authority: DemoAuthority
    now: datetime
    passes: tuple[DemoPass, ...]


def trust_demo_authority(base: Path, now: datetime | None = None) -> DemoStation:
    """Trust a fresh demo authority's signers in `base`'s cache; return it and its passes."""
    now = now or demo_now()
    authority = make_authority(now)
    base.mkdir(parents=True, exist_ok=True)
    with SqliteTrustStore(trust_db_path(base)) as store:
        store.import_der((signer.der for signer in authority.trusted), source="demo authority")
    return DemoStation(base, authority, now, tuple(demo_passes(authority, now)))


def write_qr_images(passes: tuple[DemoPass, ...], folder: Path, *, scale: int = 4) -> list[Path]:
    """One PNG per pass, named in order (pass-01.png, ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, demo in enumerate(passes, start=1):
        path = folder / f"pass-{number:02d}.png"
        path.write_bytes(qr_png(demo.text, scale=scale))
        paths.append(path)
    return paths
