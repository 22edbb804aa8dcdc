"""A remote store: any SPARQL 1.1 Protocol endpoint (Virtuoso, GraphDB, Fuseki, QLever, Oxigraph).

With it, several stateless replicas of the app can run behind a load balancer over one big store.
The remote server enforces its own limits; here a query past the timeout is abandoned (the client
gets the same 503), and the remote is asked to stop through its own timeout parameter where it has one.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import httpx

from airegister.store.protocol import QueryAnswer, QueryFailure, QueryRequest


class RemoteStore:
    def __init__(self, endpoint: str, build_id: str = "remote") -> None:
        self.endpoint = endpoint
        self.build_id = build_id
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._client = httpx.AsyncClient(follow_redirects=True)

    async def query(self, request: QueryRequest) -> QueryAnswer:
        assert self._client is not None, "start() the store first"
        params: list[tuple[str, str]] = [("query", request.query)]
        params += [("default-graph-uri", g) for g in request.default_graphs]
        params += [("named-graph-uri", g) for g in request.named_graphs]
        started = time.monotonic()
        body = urlencode(params).encode("ascii")
        headers = {"Accept": request.media_type, "Content-Type": "application/x-www-form-urlencoded"}
        try:
            response = await self._client.post(self.endpoint, content=body, headers=headers, timeout=request.timeout)
        except httpx.TimeoutException:
            raise QueryFailure("timeout", f"the query ran longer than {request.timeout:g} s and was stopped") from None
        except httpx.HTTPError as error:
            message = f"the SPARQL store could not be reached: {type(error).__name__}"
            raise QueryFailure("unavailable", message) from None
        if response.status_code == 400:
            raise QueryFailure("syntax", _message(response))
        if response.status_code >= 300:
            raise QueryFailure("failed", f"the SPARQL store answered {response.status_code}: {response.text[:500]}")
        media_type = response.headers.get("content-type", request.media_type).split(";")[0].strip()
        return QueryAnswer(media_type, response.content, seconds=time.monotonic() - started)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def _message(response: httpx.Response) -> str:
    """The remote's own words for an error: the 'message' of a JSON problem, else the start of the body."""
    try:
        return str(json.loads(response.text)["message"])
    except (ValueError, KeyError, TypeError):
        return response.text[:2000]
