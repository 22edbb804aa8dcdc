"""Which store answers a build's queries: the one place that reads `settings.store`."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from airegister.publication.layout import STORE
from airegister.settings import Settings
from airegister.store.oxigraph import EmbeddedStore
from airegister.store.pool import network
from airegister.store.protocol import Store
from airegister.store.remote import RemoteStore


def open_store(settings: Settings, build: Path) -> Store:
    """The embedded pool over the build's own store, or the SPARQL endpoint `settings.store` names."""
    if settings.store == "embedded":
        return EmbeddedStore(
            build,
            size=settings.workers,
            cache_bytes=settings.cache_bytes,
            demote_after=settings.slow_query,
            threads=settings.worker_threads,
            inline_limit=settings.inline_lookup_limit,
            federated=bool(settings.service_allowlist),
        )
    return RemoteStore(settings.store, build_id=build.name)


def network_isolation(settings: Settings) -> str:
    """The line `serve` starts with about the query workers' network (pool/network.py)."""
    if settings.store != "embedded":
        return (
            "network isolation of query workers: none here, since queries go to the SPARQL endpoint "
            f"{settings.store}, which evaluates any SERVICE call itself"
        )
    return network.startup_line(network.probe(), settings.service_allowlist)


def check_store(settings: Settings, build: Path) -> None:
    """Open the build's store as a query worker does and ask it one query; raises when it cannot.

    A remote endpoint is left alone: it holds whatever was loaded into it, not this folder."""
    if settings.store == "embedded":
        pyoxigraph.Store.read_only(str(build / STORE)).query("ASK {}")
