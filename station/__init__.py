"""checkpoint-station core: verification of health credentials and national QR codes.

Public API:
    Verifier, VerifierConfig   verify scanned text against trusted signers at a clock's time
    VerificationResult, Check, Holder, Status, Reason   the result model
    TrustIndex                 kid → signer certificates, built from a trust store or files

The names load on first use (PEP 562): importing any `station.*` module runs this file, and
commands that never verify (`station upload`, `station --version`, the services' start-up on a
Raspberry Pi) must not pay for loading every credential family.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from station.config import VerifierConfig
    from station.model import Check, Holder, VerificationResult
    from station.reasons import Reason, Status
    from station.trust.index import TrustIndex
    from station.verify.verifier import Verifier

_HOMES = {
    "VerifierConfig": "station.config",
    "Check": "station.model",
    "Holder": "station.model",
    "VerificationResult": "station.model",
    "Reason": "station.reasons",
    "Status": "station.reasons",
    "TrustIndex": "station.trust.index",
    "Verifier": "station.verify.verifier",
}
__all__ = [
    "Check",
    "Holder",
    "Reason",
    "Status",
    "TrustIndex",
    "VerificationResult",
    "Verifier",
    "VerifierConfig",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'station' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
