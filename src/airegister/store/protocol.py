"""The small interface the web layer needs from a store, so the backend can be swapped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class QueryRequest:
    """One query to evaluate and the serialisation wanted for its answer."""

    query: str
    media_type: str  # of the answer: application/sparql-results+json, text/turtle, ...
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default_graph: bool = True  # the default graph is the union of all graphs unless the request names some
    base_iri: str | None = None
    timeout: float = 30.0
    federated: bool = False  # its SERVICE endpoints are all allowed: it runs where the network is


@dataclass(frozen=True)
class QueryAnswer:
    media_type: str
    body: bytes
    cached: bool = False
    seconds: float = 0.0


@dataclass
class QueryFailure(Exception):
    """Why a query produced no answer: `kind` is syntax or refused (the client's mistakes, `message` in words
    fit for it), upstream (an allowed SERVICE endpoint failed, `message` in our words), timeout, unavailable
    or failed (the server's: `message` is for the log)."""

    kind: str
    message: str
    details: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


class Store(Protocol):
    """Answers SPARQL queries over one immutable build."""

    build_id: str

    async def start(self) -> None: ...

    async def query(self, request: QueryRequest) -> QueryAnswer: ...

    async def close(self) -> None: ...
