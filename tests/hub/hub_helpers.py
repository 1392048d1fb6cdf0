"""Helpers for the hub tests: a cheap hub config and an enrolled station's client."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from sync.bundle import Bundle, key_id, load_public_key, verify_bundle
from sync.hub import Hub, HubConfig

#: The cheapest KDF the status list accepts, so tests derive keys in milliseconds.
FAST = HubConfig(kdf_memory_kib=8192, kdf_iterations=1, page_size=4)


class HubClient:
    """An enrolled station's view of the hub: a session with its token and its pinned keys."""

    def __init__(self, url: str, enrollment: dict[str, Any]) -> None:
        self.url = url
        self.station_id: str = enrollment["station_id"]
        self.token: str = enrollment["token"]
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["Authorization"] = f"Bearer {self.token}"
        keys = [load_public_key(pem.encode("ascii")) for pem in enrollment["hub_keys"]]
        self.pins = {key_id(key): key for key in keys}

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return self.session.get(self.url + path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return self.session.post(self.url + path, **kwargs)

    def bundle(self, source: str, **params: Any) -> Bundle:
        """Fetch and verify a bundle of `source` against the pinned keys."""
        response = self.get(f"/station/v1/bundles/{source}", params=params)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"] == "application/jose"
        return verify_bundle(response.text, self.pins, source)

    def close(self) -> None:
        self.session.close()


def enroll(url: str, hub: Hub, name: str = "gate-1") -> HubClient:
    code = hub.create_enrollment_code(name)
    with requests.Session() as session:
        session.trust_env = False
        answer = session.post(f"{url}/station/v1/enroll", json={"code": code}, timeout=10)
    assert answer.status_code == 201, answer.text
    return HubClient(url, answer.json())


#: `station hub ... --db FILE` in this process: (exit code, stdout, stderr).
HubCommand = Callable[..., tuple[int, str, str]]


def hub_command(db: Path, capsys: Any) -> HubCommand:
    """Run `station hub` subcommands on the hub file `db`, capturing what they print."""
    from sync.hub.cli import add_parser

    parser = argparse.ArgumentParser(prog="station")
    parser.add_argument("--data-dir")
    add_parser(parser.add_subparsers(dest="command", required=True))

    def run(*argv: str) -> tuple[int, str, str]:
        args = parser.parse_args(["hub", *argv, "--db", str(db)])
        code = args.handler(args)
        out, err = capsys.readouterr()
        return int(code), out, err

    return run
