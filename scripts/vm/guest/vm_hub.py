"""Prepare the reference hub the guest's station enrolls at: the demo world's trust data
published in a hub file, the health authority's sealing key set, and the world's credentials
written out as QR images with the verdict each must get.

Run once with the release's Python (it imports `station` and `sync`); the hub itself is then
served by `station hub serve` under a systemd unit, as an operator would run it:

    .venv/bin/python vm_hub.py --db /srv/vm-hub/hub.sqlite --out /srv/vm-hub/world

`--out` receives `manifest.json` (label, family, expected status and reason, text and image
of every credential, and the settings the station needs) and one PNG per credential.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from station.entrylog.sealing import SealingKey, generate_authority_key, save_private_key
from station.issuer.demo_world import DemoWorld, build_demo_world
from sync.hub import Hub
from sync.hub.demo_population import populate_hub

#: Scale of the printed QR modules; the guest's feeder enlarges the images for the camera.
PNG_SCALE = 4


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the hub file to create")
    parser.add_argument("--out", type=Path, required=True, help="folder for images + manifest")
    args = parser.parse_args()
    if args.db.exists():
        parser.error(f"{args.db} exists: the demo world belongs on a hub of its own")
    args.db.parent.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    world = build_demo_world()
    hub = Hub(args.db)
    try:
        key = generate_authority_key()
        save_private_key(key, args.db.parent / "tracing-key.pem")
        hub.set_sealing_key(SealingKey(key.public_key()))
        populate_hub(hub, world)
    finally:
        hub.close()
    write_manifest(world, args.out)
    print(f"hub prepared: {len(world.credentials)} credentials in {args.out}")
    return 0


def write_manifest(world: DemoWorld, out: Path) -> None:
    """One PNG per credential and the manifest that names them, in showing order."""
    entries = []
    for number, credential in enumerate(world.credentials, start=1):
        image = f"{number:02d}-{credential.family}.png"
        (out / image).write_bytes(credential.png(scale=PNG_SCALE))
        entries.append(
            {
                "number": number,
                "label": credential.label,
                "family": credential.family,
                "expected": str(credential.expected),
                "expected_reason": credential.expected_reason,
                "text": credential.text,
                "image": image,
            }
        )
    manifest = {
        "now": world.now.isoformat(),
        "station_settings": [list(pair) for pair in world.station_settings],
        "credentials": entries,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    raise SystemExit(main())
