"""The one link policy: where a page sends a reader who clicks an IRI.

- Our things (`{base}id/...`) go straight to their document page (`/doc/...`), not through the 303.
- Our vocabulary and shapes (`{base}ns#x`, `{base}shapes#x`), datasets and the catalog go to their pages.
- Other IRIs under our base (named graphs, distributions) have no page: no link.
- An IRI the register describes but does not mint (a federal body, a DPV concept) goes to `doc?iri=...`,
  a page listing what the register says of it, when the caller knows it is described.
- A URL under the public URL the build was made for (the catalog's pages and downloads) becomes the
  same path on this site.
- Anything else links out when it is a web or mail address, and is not linked otherwise.
Links are root-relative under the path prefix (`AppContext.urls`), so they work wherever the site is reached.
"""

from __future__ import annotations

from collections.abc import Container
from urllib.parse import quote

from airegister.publication.urls import PublicUrls

LINKABLE = ("http://", "https://", "mailto:")


class Links:
    def __init__(self, base_iri: str, urls: PublicUrls, public: PublicUrls) -> None:
        self.base = base_iri
        self.urls = urls
        self.public = public.root

    def href(self, iri: str, described: Container[str] = ()) -> str | None:
        base = self.base
        if iri.startswith(base):
            rest = iri[len(base) :]
            if rest.startswith("id/"):
                return self.urls.page("doc/" + rest[3:])
            for document in ("ns", "shapes"):
                if rest == document or rest.startswith(document + "#"):
                    return self.urls.page(document) + rest[len(document) :]
            if rest == "catalog" or (rest.startswith("dataset/") and "/" not in rest[8:]):
                return self.urls.page(rest)
            return None
        if iri.startswith(self.public):
            return self.urls.page(iri[len(self.public) :])
        if iri in described:
            return self.urls.page("doc") + "?iri=" + quote(iri, safe="")
        return iri if iri.lower().startswith(LINKABLE) else None
