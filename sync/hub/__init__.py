"""The reference hub: the backend stations enroll at and sync from (see README.md here)."""

from sync.hub.base import HubConfig
from sync.hub.bundles import SignedBundle
from sync.hub.faults import Faults
from sync.hub.hub import Hub
from sync.hub.paging import PageRequest
from sync.hub.revocations import RevocationEntry
from sync.hub.server import HubServer
from sync.hub.status_list import StatusEntry

__all__ = [
    "Faults",
    "Hub",
    "HubConfig",
    "HubServer",
    "PageRequest",
    "RevocationEntry",
    "SignedBundle",
    "StatusEntry",
]
