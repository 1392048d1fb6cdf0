"""The sync layer's one exception tree: every failure carries a stable code and an operator message.

Library errors (requests, urllib3, ssl, json, cryptography) are mapped to these at the edge of
`sync/http.py` and `sync/bundle.py`, so callers never see a library's exception and the sync
status can always say, in plain words, why a source is not fresh.
"""

from __future__ import annotations


class SyncError(Exception):
    """A sync step failed; `code` is stable (logged, shown, uploaded), `message` is for people."""

    code = "SYNC_FAILED"
    default_message = "The update from the backend failed."

    def __init__(self, detail: str = "", *, retry_after_s: float | None = None) -> None:
        self.detail = detail
        self.retry_after_s = retry_after_s
        super().__init__(f"{self.code}: {self.message}")

    @property
    def message(self) -> str:
        return f"{self.default_message} ({self.detail})" if self.detail else self.default_message


class NetworkError(SyncError):
    code = "NETWORK_UNREACHABLE"
    default_message = "The backend cannot be reached; the station keeps working from its cache."


class TimeoutExceeded(SyncError):
    code = "TIMEOUT"
    default_message = "The backend answered too slowly; the request was abandoned."


class BackendIdentityError(SyncError):
    code = "BACKEND_IDENTITY"
    default_message = (
        "Backend identity check failed: the server is not the one this station trusts."
    )


class ClockSuspectError(SyncError):
    code = "CLOCK_SUSPECT"
    default_message = (
        "The station's clock looks wrong: the backend's certificate is out of date for it."
    )


class RedirectRefused(SyncError):
    code = "REDIRECT_REFUSED"
    default_message = "The backend tried to redirect the station elsewhere; refused."


class HttpStatusError(SyncError):
    code = "HTTP_ERROR"
    default_message = "The backend refused the request."

    def __init__(
        self, status: int, detail: str = "", *, retry_after_s: float | None = None
    ) -> None:
        self.status = status
        super().__init__(detail or f"HTTP {status}", retry_after_s=retry_after_s)


class ServerBusy(HttpStatusError):
    code = "SERVER_BUSY"
    default_message = "The backend is busy or down; the station will retry later."


class RateLimited(HttpStatusError):
    code = "RATE_LIMITED"
    default_message = "The backend asked the station to slow down; it will retry later."


class NotEnrolled(SyncError):
    code = "NOT_ENROLLED"
    default_message = "This station is not enrolled with a hub: run `station enroll` first."


class StationRevoked(HttpStatusError):
    code = "STATION_REVOKED"
    default_message = "The hub refused this station: its enrollment was revoked or is unknown."


class ResponseTooLarge(SyncError):
    code = "RESPONSE_TOO_LARGE"
    default_message = "The backend sent far more data than allowed; it was refused."


class ResponseTruncated(SyncError):
    code = "RESPONSE_TRUNCATED"
    default_message = "The backend's answer was cut off; nothing from it was used."


class DataInvalid(SyncError):
    code = "DATA_INVALID"
    default_message = "The backend sent data that is damaged or not in the expected form."


class SignatureRejected(SyncError):
    code = "SIGNATURE_REJECTED"
    default_message = "The update is not signed by the backend's pinned key; it was refused."


class RollbackAttempt(SyncError):
    code = "ROLLBACK_ATTEMPT"
    default_message = "Rollback attempt: the backend offered older data than the station has."


class DataExpired(SyncError):
    code = "DATA_EXPIRED"
    default_message = "The backend's data has passed its expiry date; it was refused."


class CacheWriteFailed(SyncError):
    code = "CACHE_WRITE_FAILED"
    default_message = (
        "The station could not store the update (disk full or busy); kept the old data."
    )
