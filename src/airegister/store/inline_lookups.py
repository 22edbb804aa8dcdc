"""Lookups of one subject's quads, answered in the server process rather than by a query worker.

A single triple pattern with a fixed subject (`SELECT ?p ?o WHERE { <iri> ?p ?o }`, what federated
engines and notebooks send most) reads the quads of one subject, and the build records the most any
subject has (`largest_subject` in its manifest), so its cost has a known bound and it needs no timeout.
It runs on the event loop, briefly, because handing it to a worker costs about as much CPU as evaluating
it (two process switches and the channel). A thread would not take it off the loop: pyoxigraph holds
the GIL while it writes the answer. The measurements behind this are in docs/performance.md.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pyoxigraph

from airegister.publication.layout import STORE
from airegister.publication.manifest import Manifest, ManifestUnreadable
from airegister.rdf.sparql_text import is_subject_lookup
from airegister.store.protocol import QueryRequest

log = logging.getLogger(__name__)
LEAST_TIMEOUT = 1.0  # seconds: a lookup with less time than that goes to a worker, which can be stopped


class LookupsHere:
    """The build's store opened in this process, for lookups whose cost its manifest bounds."""

    def __init__(self, build: Path, limit: int) -> None:
        self.build = build
        self.limit = limit  # the most quads a subject may have for its lookups to be answered here; 0: none are
        self._store: pyoxigraph.Store | None = None

    @property
    def active(self) -> bool:
        return self._store is not None

    def open(self) -> None:
        """Opens the store if the build's largest subject is within the limit; blocks (run it off the loop)."""
        try:
            largest = Manifest.load(self.build).largest_subject
        except ManifestUnreadable:
            largest = None
        if largest is None or largest > self.limit or self.limit == 0:
            return  # a build from before the manifest said it (or a damaged one): every query goes to a worker
        try:
            self._store = pyoxigraph.Store.read_only(str(self.build / STORE))
        except Exception as error:  # the workers report a store that cannot be opened; lookups then go to them
            log.warning("lookups go to the query workers: the store did not open here: %s", error)

    def store_for(self, request: QueryRequest) -> pyoxigraph.Store | None:
        """The store, for a lookup of one subject's quads over the whole store; graphs named by the request
        could repeat a graph (pyoxigraph reads it as often), so such a request goes to a worker."""
        if self._store is None or request.timeout < LEAST_TIMEOUT:
            return None
        if request.default_graphs or request.named_graphs or not is_subject_lookup(request.query):
            return None
        # This process has the network. The lexer that says "lookup" is the one that checks SERVICE, so a
        # flaw in it must not let a SERVICE call run here: the word anywhere sends the query to a worker.
        if request.federated or "service" in request.query.lower():
            return None
        return self._store

    def close(self) -> None:
        self._store = None
