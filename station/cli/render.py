"""Human-readable verdicts for the terminal: the decision first, then why, then every check."""

from __future__ import annotations

from station.model import VerificationResult
from station.reasons import Reason, Status

FORMAT_NAMES = {
    "dcc": "EU Digital COVID Certificate (HC1)",
    "ddcc": "WHO DDCC:VS vaccination certificate (HC1)",
    "vds": "ICAO Visible Digital Seal (VDS-NC)",
    "shc": "SMART Health Card (shc:/)",
    "nzcp": "NZ COVID Pass (NZCP)",
    "divoc": "DIVOC vaccination certificate (CoWIN India, Sri Lanka, Philippines, Indonesia)",
    "vn_pccovid": "Vietnam personal QR (PC-Covid), identity only",
    "vn_cccd": "Vietnam chip ID card (CCCD) QR, identity only",
    "vn_bhyt": "Vietnam health-insurance card (BHYT) QR, identity only",
    "vn_typed_id": "ID number typed at the station, identity only",
    "unknown": "Unrecognised code",
}
STATUS_WORDS = {
    Status.VALID: "VALID - let the person in",
    Status.INVALID: "INVALID - do not accept this pass",
    Status.CHECK_MANUALLY: "CHECK MANUALLY - ask for another document",
}
MARKS = {True: "[ ok ]", False: "[FAIL]", None: "[ -- ]"}


def render_verdict(result: VerificationResult) -> str:
    lines = [
        STATUS_WORDS[result.status],
        f"  Pass type: {FORMAT_NAMES.get(result.format, result.format)}",
    ]
    failed = result.failed_checks
    if failed:
        lines.append(f"  Reason:    {failed[0].message}")
    elif result.status is not Status.VALID:
        lines.append(f"  Reason:    {result.reason}")
    if result.holder is not None:
        lines.append(
            f"  Holder:    {result.holder.name}  (born {result.holder.date_of_birth or '?'})"
        )
        lines.append("             Compare the name and date of birth with an ID document.")
    lines.append("  Checks:")
    for check in result.checks:
        detail = "passed" if check.ok else f"{check.code}: {check.message}"
        if check.ok is None and check.code == Reason.NOT_REACHED:
            detail = "not checked (an earlier step failed)"
        lines.append(f"    {MARKS[check.ok]} {check.name:<11} {detail}")
    return "\n".join(lines)


def verdict_line(result: VerificationResult) -> str:
    """One line per person for continuous scanning: decision, pass type, then why or who."""
    kind = FORMAT_NAMES.get(result.format, result.format)
    line = f"{result.status:<14} {kind}"
    failed = result.failed_checks
    if failed:
        return f"{line} | {failed[0].message}"
    if result.holder is not None:
        born = result.holder.date_of_birth or "?"
        return f"{line} | {result.holder.name} (born {born})"
    return line
