"""What every request handler needs, built once by the app factory and passed explicitly."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from airegister.publication.urls import PublicUrls
from airegister.rdf.syntaxes import RESULTS_JSON
from airegister.settings import Settings
from airegister.store.protocol import QueryRequest, Store
from airegister.web.links import Links


@dataclass
class AppContext:
    """`urls` makes the links of pages and redirects, root-relative (`/doc/...`, under the path prefix), so
    they work wherever the server is reached; `public` makes the absolute URLs a standard needs (the
    service description, a query's base IRI, a citation), from the public URL the build was made for.
    Neither is ever derived from a request's Host header."""

    settings: Settings
    store: Store
    public: PublicUrls
    build: Path  # the served build folder (dumps, catalog, VoID), whatever store answers queries
    _named_graphs: list[str] | None = field(default=None, repr=False)

    @cached_property
    def urls(self) -> PublicUrls:
        return self.public.rooted()

    @cached_property
    def links(self) -> Links:
        return Links(self.settings.base_iri, self.urls, self.public)

    async def named_graphs(self) -> list[str]:
        """The build's named graphs (one per source file); asked once, since a build never changes."""
        if self._named_graphs is None:
            answer = await self.store.query(
                QueryRequest("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }", RESULTS_JSON, union_default_graph=False)
            )
            bindings = json.loads(answer.body)["results"]["bindings"]
            self._named_graphs = sorted(b["g"]["value"] for b in bindings)
        return self._named_graphs
