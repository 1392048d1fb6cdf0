"""The hub's route table: method, path template, handler, and whether it needs a token.

The OpenAPI document is checked against this table by a test, so the two cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from sync.hub import handlers_dgca as dgca
from sync.hub import handlers_drl as drl
from sync.hub import handlers_entries as entries
from sync.hub import handlers_station as station
from sync.hub.messages import Request, Response
from sync.hub.problems import METHOD_NOT_ALLOWED, NOT_FOUND, HubProblem

Handler = Callable[[Request], Response]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    template: str
    handler: Handler
    public: bool = False
    #: Largest request body this route reads (None: the hub's general limit).
    max_body: int | None = None
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.template))
        object.__setattr__(self, "pattern", re.compile(regex))


class MethodNotAllowed(HubProblem):
    """405, remembering which methods the path does answer (for the `Allow` header)."""

    def __init__(self, method: str, allowed: list[str]) -> None:
        super().__init__(405, METHOD_NOT_ALLOWED, f"use {', '.join(allowed)} here", method)
        self.allowed = allowed


ROUTES: tuple[Route, ...] = (
    Route("GET", "/healthz", station.healthz, public=True),
    Route("GET", "/context", dgca.context, public=True),
    Route("POST", "/station/v1/enroll", station.enroll, public=True),
    Route("GET", "/station/v1/bundles/trust-list", station.trust_list),
    Route("GET", "/station/v1/bundles/revocations", station.revocations),
    Route("GET", "/station/v1/bundles/status-list", station.status_list),
    Route("GET", "/station/v1/keys", station.hub_keys),
    Route("GET", "/station/v1/bundles/issuer-keys", station.issuer_keys),
    Route("GET", "/station/v1/bundles/sealing-key", entries.sealing_key),
    Route("POST", "/station/v1/entries", entries.upload, max_body=entries.MAX_BATCH_BYTES),
    Route("POST", "/station/v1/purge-reports", entries.purge_report),
    Route("GET", "/signercertificateStatus", dgca.certificate_status),
    Route("GET", "/signercertificateStatus/delta", dgca.certificate_delta),
    Route("GET", "/signercertificateUpdate", dgca.certificate_update),
    Route("POST", "/signercertificateUpdate", dgca.certificate_lookup),
    Route("GET", "/rules", dgca.rule_list),
    Route("GET", "/rules/{country}", dgca.rule_list_for_country),
    Route("GET", "/rules/{country}/{hash}", dgca.rule_body),
    Route("GET", "/valuesets", dgca.valueset_list),
    Route("GET", "/valuesets/{hash}", dgca.valueset_body),
    Route("GET", "/countrylist", dgca.country_list),
    Route("GET", "/publickey", dgca.public_key),
    Route("GET", "/drl/lists", drl.lists),
    Route("GET", "/drl/lists/{kid}/partitions", drl.partitions),
    Route("GET", "/drl/lists/{kid}/partitions/{id}", drl.partition),
    Route("POST", "/drl/lists/{kid}/partitions/{id}/slices", drl.partition_slices),
    Route("GET", "/drl/lists/{kid}/partitions/{id}/chunks/{cid}/slices", drl.chunk_slices),
    Route("POST", "/drl/lists/{kid}/partitions/{id}/chunks/{cid}/slices", drl.chunk_slices),
    Route("GET", "/drl/lists/{kid}/partitions/{id}/chunks/{cid}/slices/{sid}", drl.slice_body),
)


def body_limit(method: str, path: str, default: int) -> int:
    """The body size the route for this request accepts (`default` for unknown paths)."""
    for route in ROUTES:
        if route.method == method and route.pattern.fullmatch(path):
            return default if route.max_body is None else route.max_body
    return default


def match(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request and its path parameters; 404 or 405 HubProblem otherwise."""
    allowed: list[str] = []
    for route in ROUTES:
        found = route.pattern.fullmatch(path)
        if found is None:
            continue
        if route.method == method:
            return route, {name: unquote(value) for name, value in found.groupdict().items()}
        allowed.append(route.method)
    if allowed:
        raise MethodNotAllowed(method, allowed)
    raise HubProblem(404, NOT_FOUND, "no such endpoint", path)
