"""Two patches of rdflib and pySHACL internals that make large validation runs affordable.

They change process-wide library state, so they live here alone and are applied only for the length of a
run (`applied()`, used by `content.shacl.run_pyshacl`), never at import. They rely on private behaviour
of the versions named below: tests/test_shacl_speedups.py fails when pySHACL changes, and checks that a
run gives the same results with and without them.

- pySHACL hands rdflib the text of each SHACL-SPARQL constraint for every focus node, and rdflib parses
  and translates it again every time, which grows with the number of records. rdflib can evaluate a
  translated query with other bindings (what `prepareQuery` is for), so translations are memoised.
- pySHACL looks constraint parameters up in a list for every shape and node; a set answers the same.
  Only runs without pySHACL's advanced features or JavaScript, which append to that list, may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyshacl.shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query

PYSHACL_VERSION = "0.40.1"  # the pySHACL these patches were written against and checked with
_QueryKey = tuple[str, str | None, tuple[tuple[str, str], ...]]


@contextmanager
def applied() -> Iterator[None]:
    """Both patches while the block runs; the libraries are restored after it, even on error."""
    original = SPARQLProcessor.query
    cache: dict[_QueryKey, Query] = {}

    def query(self: SPARQLProcessor, strOrQuery: str | Query, initBindings: Any = None, initNs: Any = None,
              base: str | None = None, DEBUG: bool = False) -> Any:  # fmt: skip
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items())))
            if key not in cache:
                cache[key] = translateQuery(parseQuery(strOrQuery), base, initNs)
            strOrQuery = cache[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    missing = object()
    previous_params = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", missing)
    SPARQLProcessor.query = query  # type: ignore[method-assign]
    pyshacl.shape.CONSTRAINT_PARAMS = (frozenset(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        SPARQLProcessor.query = original  # type: ignore[method-assign]
        if previous_params is missing:
            del pyshacl.shape.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
        else:
            pyshacl.shape.CONSTRAINT_PARAMS = previous_params  # type: ignore[attr-defined]
