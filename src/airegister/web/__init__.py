"""The read-only HTTP surface: SPARQL protocol, Linked Data documents, pages for people."""
