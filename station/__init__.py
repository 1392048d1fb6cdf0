"""checkpoint-station core: verification of health credentials and national QR codes.

Public API:
    Verifier, VerifierConfig   verify scanned text against trusted signers at a clock's time
    VerificationResult, Check, Holder, Status, Reason   the result model
    TrustIndex                 kid → signer certificates, built from a trust store or files
"""

from station.config import VerifierConfig
from station.model import Check, Holder, VerificationResult
from station.reasons import Reason, Status
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier

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
