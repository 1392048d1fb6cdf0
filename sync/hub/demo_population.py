"""Publish a demo world's trust data at a hub, so stations enrolled there judge its credentials.

Meant for a hub started for the demo: the world trusts demo signers of every family (see
`station.issuer.demo_world`). A hub that already trusts other signers is therefore refused
rather than mixed with demo trust.
"""

from __future__ import annotations

import hashlib

from station.issuer.demo_world import DemoWorld
from sync.hub.hub import Hub


def populate_hub(hub: Hub, world: DemoWorld) -> None:
    """Signers, issuers (with their CRLs), status-list entries and revocations of `world`.

    Publishing the same world again changes nothing. ValueError, before anything is published,
    when the hub holds signers that are not this world's.
    """
    _refuse_foreign_signers(hub, world)
    hub.add_dscs(world.dsc_ders)
    for issuer in world.issuers:
        hub.add_issuer(issuer.family, issuer.issuer, issuer.keys, issuer.crls)
    for status in world.statuses:
        hub.publish_status(status.id_number, status.flags, status.valid_until)
    for text in world.revoked_texts:
        hub.revoke_pass(text)


def _refuse_foreign_signers(hub: Hub, world: DemoWorld) -> None:
    ours = {hashlib.sha256(der).hexdigest() for der in world.dsc_ders}
    foreign = [dsc for dsc in hub.dscs() if not dsc.deleted and dsc.fingerprint not in ours]
    if foreign:
        raise ValueError(
            f"the hub already trusts {len(foreign)} other signer(s): demo trust data belongs "
            "on a hub of its own"
        )
