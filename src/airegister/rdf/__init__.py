"""RDF plumbing shared by every stage: namespaces, the syntax table, file I/O, byte-stable writing, languages and
labels, the SPARQL lexer. Imports nothing else of ours.
"""
