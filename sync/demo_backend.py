"""The demo's back end: a real hub on 127.0.0.1 with a demo health authority, and a station
enrolled at it and synced, exactly as a deployment does it but in one folder.

`station demo` runs the app against this: the hub publishes the demo authority's signers,
issuer keys, revocations and national status list (`sync.hub.demo_population`); the station
enrolls and syncs through the same `station enroll` and `station sync` code an operator runs;
the authority's tracing key stays in the folder, so the demo can show a case traced at the hub
from the entries the station uploaded. Nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.cli.main import main as station_main
from station.entrylog.sealing import SealingKey, generate_authority_key, save_private_key
from station.issuer.demo_world import DemoWorld, build_demo_world
from sync.hub import Hub, HubServer
from sync.hub.demo_population import populate_hub

STATION_NAME = "demo-gate-1"
CHECKPOINT = "demo-hospital-gate-1"
#: Where the demo keeps the authority's private tracing key, under the demo folder.
TRACING_KEY = Path("authority") / "tracing-key.pem"
#: Where the demo's progress lines go (print, or a list in tests).
Printer = Callable[[str], None]


@dataclass(frozen=True)
class DemoBackend:
    """A running demo hub and the station folder enrolled and synced at it."""

    folder: Path
    hub: Hub
    server: HubServer
    station_base: Path
    world: DemoWorld
    authority_key: X25519PrivateKey


@contextlib.contextmanager
def demo_backend(
    folder: Path, *, now: datetime | None = None, say: Printer = print
) -> Iterator[DemoBackend]:
    """Start the hub, enroll and sync the station; stop the hub on exit (files stay)."""
    world = build_demo_world(now)
    hub = Hub(folder / "hub" / "hub.sqlite")
    try:
        authority_key = _authority(hub, folder)
        populate_hub(hub, world)
        server = HubServer(hub).start()
        try:
            backend = DemoBackend(folder, hub, server, folder / "station", world, authority_key)
            say(f"Hub running at {server.url} (demo health authority, {_published(world)})")
            _enroll_and_sync(backend, say)
            yield backend
        finally:
            server.stop()
    finally:
        hub.close()


def _authority(hub: Hub, folder: Path) -> X25519PrivateKey:
    """The health authority's tracing key: its public half seals every entry the station logs."""
    key = generate_authority_key()
    path = folder / TRACING_KEY
    path.parent.mkdir(parents=True, exist_ok=True)
    save_private_key(key, path)
    hub.set_sealing_key(SealingKey(key.public_key()))
    return key


def _published(world: DemoWorld) -> str:
    return (
        f"{len(world.dsc_ders)} document signers, {len(world.issuers)} other issuers, "
        f"{len(world.statuses)} status-list entries, {len(world.revoked_texts)} revoked passes"
    )


def _enroll_and_sync(backend: DemoBackend, say: Printer) -> None:
    """`station enroll` and `station sync` on the station folder, through the CLI's own code."""
    base, hub = backend.station_base, backend.hub
    base.mkdir(parents=True, exist_ok=True)
    code = hub.create_enrollment_code(STATION_NAME)
    pin = hub.key_fingerprint()
    enroll = ["enroll", "--hub", backend.server.url, "--code", code, "--pin", pin]
    settings = [("checkpoint_id", CHECKPOINT), *backend.world.station_settings]
    setup = [["settings", "set", key, value] for key, value in settings]
    for command in (*setup, [*enroll, "--name", STATION_NAME], ["sync"]):
        status, output = _station(base, command)
        for line in output if command[0] != "settings" else ():
            say(f"  {command[0]}: {line}")
        if status != 0:
            raise DemoSetupError(f"station {command[0]} failed (exit {status})")


def _station(base: Path, command: list[str]) -> tuple[int, list[str]]:
    """Run a `station` command in this process; its exit status and printed lines."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = station_main(["--data-dir", str(base), *command])
    lines = (out.getvalue() + err.getvalue()).splitlines()
    return status, [line for line in lines if line.strip()]


class DemoSetupError(RuntimeError):
    """The demo could not enroll or sync its station (the message says which step)."""
