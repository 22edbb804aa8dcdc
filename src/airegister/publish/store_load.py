"""The build's query store, bulk-loaded from the N-Quads dump the build has just written."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

# The most quads one subject has, in any graph: the worst case of a one-subject lookup, which the server
# answers in its own process only under a bound (see store/inline_lookups.py).
_LARGEST_SUBJECT = """SELECT (MAX(?n) AS ?most) WHERE {
  SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?s
}"""


def load_store(store: Path, nquads: Path) -> int:
    """Load the store at `store`; returns the most quads one subject has (recorded in the manifest)."""
    loaded = pyoxigraph.Store(str(store))
    loaded.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    loaded.flush()
    solutions = loaded.query(_LARGEST_SUBJECT)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    most = next(solutions)["most"]
    del solutions, loaded  # closes the store before the folder is renamed into place
    return int(most.value) if most is not None else 0
