"""EU DCC content check: the JSON schema (vendored 1.3.x, Draft 2020-12), exactly one entry
type, and membership of coded fields in the value sets the schema names (`valueset-uri`).

Compiled once with jsonschema-rs: 1.8 µs per certificate against 220 µs for the pure-Python
`jsonschema`, measured by bench/bench_schema.py.  Formats are annotations in Draft 2020-12
and are not asserted: issuers wrote date-times where the schema describes dates, and the EU
reference validators accept them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

from station.errors import Reject
from station.reasons import Reason
from station.verify.key_usage import certificate_types

SCHEMA_RESOURCE = "data/eu-dcc-schema/DCC.combined-schema.json"
VALUESET_DIR = "data/eu-dcc-valuesets"


@cache
def load_dcc_schema() -> dict[str, Any]:
    return _load_json(SCHEMA_RESOURCE)


def _load_json(resource: str) -> dict[str, Any]:
    text = resources.files("station").joinpath(resource).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(load_dcc_schema(), validate_formats=False)


@cache
def bundled_value_sets() -> dict[str, frozenset[str]]:
    """Value-set file stem → codes, from the vendored EU value sets."""
    found: dict[str, frozenset[str]] = {}
    for entry in resources.files("station").joinpath(VALUESET_DIR).iterdir():
        if entry.name.endswith(".json"):
            document = json.loads(entry.read_text(encoding="utf-8"))
            stem = entry.name.removesuffix(".json").removesuffix("-example")
            found[stem] = frozenset(document.get("valueSetValues", {}))
    return found


@cache
def coded_fields() -> dict[str, dict[str, str]]:
    """Entry type → field → value-set stem, read from the schema's `valueset-uri` annotations."""
    schema = load_dcc_schema()
    defs = schema.get("$defs", {})
    fields: dict[str, dict[str, str]] = {}
    for entry_type in ("v", "t", "r"):
        items = schema["properties"][entry_type]["items"]
        entry = _resolve(items, defs)
        for name, prop in entry.get("properties", {}).items():
            uri = _resolve(prop, defs).get("valueset-uri")
            if uri:
                stem = uri.rsplit("/", 1)[-1].removesuffix(".json")
                fields.setdefault(entry_type, {})[name] = stem
    return fields


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in node and seen < 8:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
        seen += 1
    return node


def check_schema(
    certificate: Mapping[str, Any], value_sets: Mapping[str, frozenset[str]] | None = None
) -> Reject | None:
    """None when the certificate matches the schema, holds one entry type and known codes."""
    if len(certificate_types(certificate)) != 1:
        return Reject(Reason.CERTIFICATE_TYPE_AMBIGUOUS, "needs exactly one of v, t or r")
    validator = _validator()
    if not validator.is_valid(certificate):
        first = next(iter(validator.iter_errors(certificate)), None)
        where = "/".join(str(p) for p in first.instance_path) if first is not None else ""
        return Reject(Reason.SCHEMA_INVALID, f"field {where or '(root)'} does not match the schema")
    return _check_codes(certificate, bundled_value_sets() if value_sets is None else value_sets)


def _check_codes(
    certificate: Mapping[str, Any], value_sets: Mapping[str, frozenset[str]]
) -> Reject | None:
    for entry_type, fields in coded_fields().items():
        for entry in certificate.get(entry_type) or ():
            for name, stem in fields.items():
                codes = value_sets.get(stem)
                value = entry.get(name)
                # An empty string means "not stated" (e.g. no manufacturer for a PCR test).
                if codes and value and value not in codes:
                    return Reject(Reason.VALUE_NOT_IN_VALUE_SET, f"{entry_type}/{name}")
    return None
