"""Every refusal the hub sends is a DGCA ProblemReport with a stable code.

Stations log and show the `code`, never the `problem` text, so codes never change meaning;
`problem` is for the operator reading a log. Nothing here ever carries a traceback.
"""

from __future__ import annotations

import json

NOT_FOUND = "NOT_FOUND"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
BAD_REQUEST = "BAD_REQUEST"
BODY_TOO_LARGE = "BODY_TOO_LARGE"
LENGTH_REQUIRED = "LENGTH_REQUIRED"
ENROLLMENT_REFUSED = "ENROLLMENT_REFUSED"
NOT_ENROLLED = "NOT_ENROLLED"
STATION_REVOKED = "STATION_REVOKED"
BAD_COUNTRY = "BAD_COUNTRY"
BAD_RESUME_TOKEN = "BAD_RESUME_TOKEN"
BAD_DATE = "BAD_DATE"
BAD_QUERY = "BAD_QUERY"
RULE_NOT_FOUND = "RULE_NOT_FOUND"
VALUESET_NOT_FOUND = "VALUESET_NOT_FOUND"
PAGE_NOT_FOUND = "PAGE_NOT_FOUND"
VERSION_GONE = "VERSION_GONE"
KEY_UNKNOWN = "KEY_UNKNOWN"
SIGNATURE_INVALID = "SIGNATURE_INVALID"
DEVICE_KEY_MISSING = "DEVICE_KEY_MISSING"
IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
NO_SEALING_KEY = "NO_SEALING_KEY"
INJECTED_FAULT = "INJECTED_FAULT"
INTERNAL_ERROR = "INTERNAL_ERROR"

#: Every code the hub can answer with (the OpenAPI document lists the same set).
ALL_CODES = (
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    BAD_REQUEST,
    BODY_TOO_LARGE,
    LENGTH_REQUIRED,
    ENROLLMENT_REFUSED,
    NOT_ENROLLED,
    STATION_REVOKED,
    BAD_COUNTRY,
    BAD_RESUME_TOKEN,
    BAD_DATE,
    BAD_QUERY,
    RULE_NOT_FOUND,
    VALUESET_NOT_FOUND,
    PAGE_NOT_FOUND,
    VERSION_GONE,
    KEY_UNKNOWN,
    SIGNATURE_INVALID,
    DEVICE_KEY_MISSING,
    IDEMPOTENCY_KEY_REUSED,
    NO_SEALING_KEY,
    INJECTED_FAULT,
    INTERNAL_ERROR,
)
_MAX_ECHO = 100


class HubProblem(Exception):
    """A request the hub refuses: HTTP status, stable code and an operator-facing sentence."""

    def __init__(self, status: int, code: str, problem: str, send_value: str = "") -> None:
        super().__init__(f"{status} {code}: {problem}")
        self.status = status
        self.code = code
        self.problem = problem
        self.send_value = send_value[:_MAX_ECHO]

    def body(self) -> bytes:
        return problem_body(self.code, self.problem, self.send_value)


def problem_body(code: str, problem: str, send_value: str = "", details: str = "") -> bytes:
    """The ProblemReport JSON bytes (`sendValue` echoes the offending value, shortened)."""
    report = {"code": code, "problem": problem, "sendValue": send_value, "details": details}
    return json.dumps(report, separators=(",", ":")).encode("utf-8")


def bad_query(name: str, value: str) -> HubProblem:
    return HubProblem(
        400, BAD_QUERY, f"query parameter {name!r} must be a non-negative integer", value
    )
