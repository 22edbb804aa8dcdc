"""Helpers that run the W3C SPARQL 1.1 test suites against the real server: manifests, a loader, comparison."""
