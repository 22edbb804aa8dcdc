"""Lookups of one subject's quads, answered in the server process rather than by a query worker.

A single triple pattern with a fixed subject (`SELECT ?p ?o WHERE { <iri> ?p ?o }`, what federated
engines and notebooks send most) reads the quads of one subject, and the build records the most any
subject has (`largest_subject` in its manifest, 46 at 50,000 projects), so its cost has a known bound
and it needs no timeout. It runs on the event loop, which it holds for ~0.3 ms (3.3 ms at the default
limit of 1,000 quads). Handing it to a worker cost as much CPU as evaluating it: two process switches
and the channel, about 300 us, against about 300 us for the query itself. Paired runs, uncached lookups
on 50,000 projects: 0.44-0.49x `oxigraph serve`'s requests/s through the workers, 0.64x answered here
by two server processes. A thread would not take it off the loop (pyoxigraph holds the GIL while it
writes the answer) and cost 13% (paired).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pyoxigraph

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
            manifest = json.loads((self.build / "manifest.json").read_bytes())
            largest = manifest.get("largest_subject") if isinstance(manifest, dict) else None
        except (OSError, ValueError):
            largest = None
        if type(largest) is not int or largest > self.limit or self.limit == 0:
            return  # a build from before the manifest said it (or a damaged one): every query goes to a worker
        try:
            self._store = pyoxigraph.Store.read_only(str(self.build / "store"))
        except Exception as error:  # the workers report a store that cannot be opened; lookups then go to them
            log.warning("lookups go to the query workers: the store did not open here: %s", error)

    def store_for(self, request: QueryRequest) -> pyoxigraph.Store | None:
        """The store, for a lookup of one subject's quads over the whole store; graphs named by the request
        could repeat a graph (pyoxigraph reads it as often), so such a request goes to a worker."""
        if self._store is None or request.timeout < LEAST_TIMEOUT:
            return None
        if request.default_graphs or request.named_graphs or not is_subject_lookup(request.query):
            return None
        return self._store

    def close(self) -> None:
        self._store = None
