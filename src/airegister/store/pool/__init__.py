"""The pool of query worker processes behind the embedded store: processes, channels, the fork server, CPU classes."""
