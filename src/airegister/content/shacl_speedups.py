"""Patches of rdflib and pySHACL internals: two make large validation runs affordable, one keeps the runs
on chosen focus nodes (the chunks of content/shacl.py) faithful.

They change process-wide library state, so they live here alone and are applied only for the length of a
run (`applied()` and `targets_only_focus()`, used by `content.shacl.run_pyshacl`), never at import. They
rely on private behaviour of the versions named below: tests/test_shacl_speedups.py fails when pySHACL
changes, and checks that a run gives the same results with and without the speed-ups.

- pySHACL hands rdflib the text of each SHACL-SPARQL constraint for every focus node, and rdflib parses
  and translates it again every time, which grows with the number of records. rdflib can evaluate a
  translated query with other bindings (what `prepareQuery` is for), so translations are memoised.
- pySHACL looks constraint parameters up in a list for every shape and node; a set answers the same.
  Only runs without pySHACL's advanced features or JavaScript, which append to that list, may use it.
- pySHACL's focus_nodes option should only choose which targets a run validates, but pySHACL applies it to
  every nested evaluation too (sh:and, sh:or, sh:not, sh:node on a record's values): a value that is not
  itself a focus node (a concept, a date, a blank node) is skipped as if it conformed, so a wrong phase
  passed and an `sh:not` failed, in every chunk but the first. Nested evaluations run without the option.
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


@contextmanager
def targets_only_focus() -> Iterator[None]:
    """The focus_nodes option applies to a run's targets only (the third patch above), while the block runs."""
    original = pyshacl.shape.Shape.validate

    def validate(self: pyshacl.shape.Shape, executor: Any, target_graph: Any, focus: Any = None,
                 _evaluation_path: Any = None) -> Any:  # fmt: skip
        chosen = executor.focus_nodes
        if focus is None or chosen is None:  # a run's own targets: chosen by the option
            return original(self, executor, target_graph, focus, _evaluation_path)
        executor.focus_nodes = None  # values a shape checks through another: never filtered
        try:
            return original(self, executor, target_graph, focus, _evaluation_path)
        finally:
            executor.focus_nodes = chosen

    pyshacl.shape.Shape.validate = validate  # type: ignore[method-assign]
    try:
        yield
    finally:
        pyshacl.shape.Shape.validate = original  # type: ignore[method-assign]
