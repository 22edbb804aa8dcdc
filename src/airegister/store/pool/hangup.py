"""Loaded first by the fork server: SIGHUP is ignored there and in every query worker forked from it.

SIGHUP tells `serve` to move to a newer build (docs/operations.md). One sent to the whole process group,
as a closing terminal does, must not end the workers in the middle of their queries, nor the fork server
(which multiprocessing would start again without the workers' malloc tuning)."""

import signal

signal.signal(signal.SIGHUP, signal.SIG_IGN)
