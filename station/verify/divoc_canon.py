"""URDNA2015 canonical N-Quads of a DIVOC credential, with nothing left out silently.

What a linked-data signature covers is the canonical RDF of the document (W3C RDF Dataset
Canonicalization, URDNA2015, as jsonld-signatures computes it with jsonld.js; here pyld).  JSON
that produces no RDF is not signed, yet a verifier that shows it would present it as signed:

- a member whose name the contexts do not define is dropped by JSON-LD expansion;
- a node whose `id` is not an absolute IRI is dropped from the RDF with everything it says.
  Real CoWIN certificates of 2021 carry subject ids such as `did:Aadhaar Card:...` (a space
  makes it no IRI), so their holder's name and age are not covered by the signature
  (egovernments/DIVOC issue #762, fixed for later certificates by pull request #896).

Both are refused here (`DIVOC_JSONLD_INVALID`), so a VALID verdict only ever shows signed data.

URDNA2015 is exponential in the worst case (many interchangeable blank nodes, the "poison graph"
of rdf-canonize's maxWorkFactor); a pass has under ten blank nodes with distinct neighbourhoods,
so the blank node count, their connections, and the permutations tried are all capped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pyld import jsonld  # type: ignore[import-untyped]
from pyld.canon import URDNA2015  # type: ignore[import-untyped]
from pyld.context_resolver import ContextResolver  # type: ignore[import-untyped]
from pyld.identifier_issuer import IdentifierIssuer  # type: ignore[import-untyped]

from station.errors import Reject
from station.reasons import Reason
from station.verify.divoc_contexts import ContextNotVendored, load_vendored

Loader = Callable[[str, Any], dict[str, Any]]
#: The absolute-IRI test jsonld.js and pyld apply before writing a node to RDF.
_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")
MAX_BLANK_NODES = 32
MAX_BLANK_NEIGHBOURS = 6
MAX_PERMUTATIONS = 512
_VENDORED_RESOLVED: dict[str, Any] = {}


def canonical_nquads(document: Mapping[str, Any], loader: Loader = load_vendored) -> str:
    """The canonical N-Quads the signature covers, or `Reject` with a reason code."""
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    options = {
        "documentLoader": loader,
        "contextResolver": ContextResolver(_resolved_cache(loader), loader),
        "base": "",
        # "@base": null keeps relative IRIs relative, as jsonld.js does; pyld would otherwise
        # resolve them against http://example.org/base/, turning an unsigned node into a signed one
        "expandContext": {"@base": None},
    }
    try:
        expanded = processor.expand(dict(document), dict(options))
        _check_identifiers(expanded)
        dataset = processor.to_rdf(expanded, dict(options))
    except _DroppedProperty:
        raise Reject(Reason.DIVOC_JSONLD_INVALID, "a field its contexts do not define") from None
    except jsonld.JsonLdError as exc:
        raise _rejection(exc) from None
    _check_blank_nodes(dataset)
    return str(_BoundedURDNA2015().main(dataset, {"format": "application/n-quads"}))


def _resolved_cache(loader: Loader) -> dict[str, Any]:
    """Processed contexts, kept apart from pyld's process-wide cache.

    pyld's own cache is keyed by URL alone, whatever loader produced the document; the station's
    loader gets a cache of its own (bounded: only the vendored documents and the contexts they
    embed ever reach it, since credentials may not carry inline contexts), any other loader a
    fresh one per call.
    """
    return _VENDORED_RESOLVED if loader is load_vendored else {}


class _DroppedProperty(ValueError):
    pass


def _refuse_dropped(expanded_property: object) -> None:
    raise _DroppedProperty


def _rejection(error: Exception) -> Reject:
    """Map a pyld error to a reason; its message may quote the document, so it is not used."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ContextNotVendored):
            return Reject(Reason.DIVOC_CONTEXT_UNKNOWN, "a context this station does not hold")
        cause = cause.__cause__
    code = getattr(error, "code", None) or getattr(error, "type", None) or "invalid JSON-LD"
    return Reject(Reason.DIVOC_JSONLD_INVALID, str(code)[:80])


def _check_identifiers(expanded: Any) -> None:
    """Every node id and type must be an absolute IRI (or a blank node), else RDF drops it."""
    stack: list[Any] = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict) or "@value" in item:
            continue
        node_id = item.get("@id")
        if node_id is not None and not _is_iri(node_id):
            raise Reject(Reason.DIVOC_JSONLD_INVALID, "an identifier that is not an IRI")
        types = item.get("@type", [])
        if not all(_is_iri(t) and not t.startswith("_:") for t in types):
            raise Reject(Reason.DIVOC_JSONLD_INVALID, "a type that is not an IRI")
        stack.extend(value for key, value in item.items() if key not in ("@id", "@type"))


def _is_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(_ABSOLUTE_IRI.match(value))


def _check_blank_nodes(dataset: Mapping[str, list[dict[str, Any]]]) -> None:
    neighbours: dict[str, set[str]] = {}
    for triples in dataset.values():
        for triple in triples:
            blanks = [
                part["value"]
                for part in (triple["subject"], triple["object"])
                if part.get("type") == "blank node"
            ]
            for node in blanks:
                neighbours.setdefault(node, set()).update(b for b in blanks if b != node)
    if len(neighbours) > MAX_BLANK_NODES:
        raise Reject(Reason.DIVOC_JSONLD_INVALID, f"more than {MAX_BLANK_NODES} unnamed nodes")
    if any(len(linked) > MAX_BLANK_NEIGHBOURS for linked in neighbours.values()):
        raise Reject(Reason.DIVOC_JSONLD_INVALID, "unnamed nodes linked too densely")


class _BoundedURDNA2015(URDNA2015):  # type: ignore[misc]
    """URDNA2015 that gives up after `MAX_PERMUTATIONS` candidate paths.

    The algorithm copies its identifier issuer once per permutation it tries; the issuer below
    spends one unit of the budget on every copy.
    """

    def __init__(self) -> None:
        super().__init__()
        self.budget = MAX_PERMUTATIONS

    def spend(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise Reject(Reason.DIVOC_JSONLD_INVALID, "too complex to canonicalise")

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self.spend()
        if not isinstance(issuer, _BudgetedIssuer):
            issuer = _BudgetedIssuer.copy_of(issuer, self)
        return super().hash_n_degree_quads(id_, issuer)


class _BudgetedIssuer(IdentifierIssuer):  # type: ignore[misc]
    owner: _BoundedURDNA2015

    @classmethod
    def copy_of(cls, issuer: Any, owner: _BoundedURDNA2015) -> _BudgetedIssuer:
        clone = cls(issuer.prefix)
        clone.counter = issuer.counter
        clone.existing = dict(issuer.existing)
        clone.order = list(issuer.order)
        clone.owner = owner
        return clone

    def __deepcopy__(self, memo: dict[int, Any]) -> _BudgetedIssuer:
        self.owner.spend()
        return _BudgetedIssuer.copy_of(self, self.owner)
