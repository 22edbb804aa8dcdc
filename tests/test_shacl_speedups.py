"""The pySHACL speed-ups (content/shacl_speedups.py) patch library internals: pinned to the version they were
written for, restored after every run, and invisible in the results."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pyshacl.shape
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql.processor import SPARQLProcessor

from airegister.content import shacl_speedups
from airegister.content.load import load
from airegister.content.shacl import run_pyshacl
from airegister.rdf.namespaces import DEFAULT_BASE, Base

INVALID = Path(__file__).parent / "examples" / "invalid"
# Each breaks a SHACL-SPARQL constraint, the kind whose queries the speed-ups memoise.
EXAMPLES = [INVALID / name for name in ("end-before-start.ttl", "identifier-duplicate.ttl", "identifier-not-iri.ttl")]


def test_pyshacl_is_the_version_the_speedups_were_written_for() -> None:
    installed = version("pyshacl")
    assert installed == shacl_speedups.PYSHACL_VERSION, (
        f"pySHACL is {installed}, the speed-ups were written for {shacl_speedups.PYSHACL_VERSION}: re-check "
        "content/shacl_speedups.py against pySHACL's shape.py (CONSTRAINT_PARAMS) and rdflib's "
        "SPARQLProcessor.query, run this file, then update PYSHACL_VERSION"
    )


def test_validation_results_are_the_same_with_and_without_the_speedups(repo_root: Path) -> None:
    content = load(repo_root, Base(DEFAULT_BASE), extra=EXAMPLES)
    data = content.union()
    focus = sorted(
        {str(s) for path in EXAMPLES for s in Graph().parse(path).subjects(RDF.type, None) if isinstance(s, URIRef)}
    )
    fast = run_pyshacl(data, content.shapes, focus)
    plain = run_pyshacl(data, content.shapes, focus, speedups=False)
    violated = {str(shape).rsplit("#", 1)[-1] for shape in fast.objects(None, SH.sourceShape)}
    sparql_constraints = {"Project-period-order", "Project-identifier-unique", "Project-identifier-iri"}
    assert sparql_constraints <= violated, "the examples no longer reach the SHACL-SPARQL constraints"
    assert isomorphic(fast, plain)


def test_the_libraries_are_restored_after_a_run_even_a_failed_one() -> None:
    original = SPARQLProcessor.query
    before = getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None)
    with pytest.raises(RuntimeError), shacl_speedups.applied():
        assert SPARQLProcessor.query is not original
        raise RuntimeError("a run that fails")
    assert SPARQLProcessor.query is original
    assert getattr(pyshacl.shape, "CONSTRAINT_PARAMS", None) is before
