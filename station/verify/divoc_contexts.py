"""The JSON-LD contexts DIVOC credentials use, served from the station's own copies.

A linked-data signature covers the RDF a document means, and the `@context` documents decide
that meaning; a verifier that fetched them at scan time would let whoever answers the fetch
decide what was signed (and would not work offline).  The station therefore holds pinned copies
in `station/data/jsonld/` (sources and licences in its README) and its document loader serves
only those: any other URL is refused with `ContextNotVendored`, and a copy whose SHA-256 no
longer matches the manifest stops the station from verifying DIVOC passes at all.

Several DIVOC deployments publish the CoWIN vaccination context under their own URL; the
manifest maps those URLs to the CoWIN v2 document as the WHO DDCC verifier does
(WorldHealthOrganization/ddcc-validator ContextLoader.kt).  The `vac` prefix of those documents
has no effect on the RDF: its IRI does not end in a gen-delim character, so in JSON-LD 1.1 it is
not a prefix and `vac:Vaccination` stays the absolute IRI `vac:Vaccination` whatever it maps to.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from station.errors import ConfigError, Reject
from station.reasons import Reason

CONTEXT_DIR = "data/jsonld"
MANIFEST = "contexts.json"
CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
SECURITY_V2 = "https://w3id.org/security/v2"
#: At most the credentials context, one vaccination context and one spare.
MAX_CONTEXTS = 3


@dataclass(frozen=True, slots=True)
class VendoredContext:
    url: str
    document: Mapping[str, Any]
    #: "credential": may appear in a credential's `@context`; "proof": only for proof options.
    use: str


class ContextNotVendored(LookupError):
    """The JSON-LD processor asked for a context this station does not hold."""

    def __init__(self, url: str) -> None:
        super().__init__("context not held by this station")
        self.url = url


@cache
def vendored_contexts() -> Mapping[str, VendoredContext]:
    """Every context the station holds, by URL."""
    return load_contexts(resources.files("station").joinpath(CONTEXT_DIR))


def load_contexts(folder: Traversable) -> dict[str, VendoredContext]:
    """The contexts a manifest folder lists, each checked against its pinned digest."""
    manifest = json.loads(folder.joinpath(MANIFEST).read_text(encoding="utf-8"))
    contexts: dict[str, VendoredContext] = {}
    for entry in manifest["contexts"]:
        raw = folder.joinpath(entry["file"]).read_bytes()
        if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
            raise ConfigError(f"JSON-LD context {entry['file']} does not match its pinned digest")
        contexts[entry["url"]] = VendoredContext(entry["url"], json.loads(raw), entry["use"])
    return contexts


def load_vendored(url: str, options: Any = None) -> dict[str, Any]:
    """A pyld document loader that never touches the network.

    Returns a copy, since pyld rewrites relative context URLs inside the documents it is given;
    the "static" tag lets pyld keep the processed context for the next credential.
    """
    context = vendored_contexts().get(url)
    if context is None:
        raise ContextNotVendored(url)
    document = copy.deepcopy(context.document)
    return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}


def check_contexts(credential: Mapping[str, Any]) -> list[str]:
    """The credential's `@context` URLs: credentials v1 first, then vendored credential contexts.

    Inline context objects and `@context` members below the top level are refused: they would
    make the document's meaning depend on text the station has not pinned.
    """
    urls = credential.get("@context")
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
        raise Reject(Reason.DIVOC_CONTEXT_UNKNOWN, "@context is not a list of context URLs")
    if len(urls) > MAX_CONTEXTS or len(set(urls)) != len(urls):
        raise Reject(Reason.DIVOC_CONTEXT_UNKNOWN, "unexpected number of contexts")
    if urls[0] != CREDENTIALS_V1:
        raise Reject(Reason.DIVOC_CONTEXT_UNKNOWN, "the first context is not credentials v1")
    held = vendored_contexts()
    for url in urls:
        context = held.get(url)
        if context is None or context.use != "credential":
            raise Reject(Reason.DIVOC_CONTEXT_UNKNOWN, "a context this station does not hold")
    _refuse_nested_contexts(credential)
    return list(urls)


def _refuse_nested_contexts(credential: Mapping[str, Any]) -> None:
    stack: list[Any] = [value for key, value in credential.items() if key != "@context"]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "@context" in value:
                raise Reject(Reason.DIVOC_JSONLD_INVALID, "a context inside the credential")
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
