"""What the site's templates show, computed from the in-memory site index (no store query on these pages).

Each function returns plain variables for one template; `routes.py` adds the shared ones (navigation,
languages), renders, and caches what never changes within a build.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from airegister.publication.manifest import Manifest
from airegister.publication.urls import PublicUrls
from airegister.rdf.languages import pick
from airegister.rdf.syntaxes import GZIP_FILE, label_of
from airegister.web.site.charts import Chart, columns, horizontal, number, share
from airegister.web.site.search import FILTERS, YEAR, SiteIndex

PAGE_SIZE = 25
FACET_LIMIT = 10  # values shown per facet before "show all"


def human_size(size: int, lang: str) -> str:
    units = ("o", "ko", "Mo", "Go") if lang == "fr" else ("B", "kB", "MB", "GB")
    value, unit = float(size), 0
    while value >= 1000 and unit < len(units) - 1:
        value, unit = value / 1000, unit + 1
    text = f"{size}" if unit == 0 else f"{value:.1f}"
    return f"{text.replace('.', ',') if lang != 'en' else text} {units[unit]}"


@dataclass(frozen=True)
class ListState:
    """The project list's URL state, in one canonical parameter order (so equal views share a URL)."""

    text: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # facet -> URL keys
    more: str = ""
    page: int = 1
    lang: tuple[tuple[str, str], ...] = ()  # ("lang", code) when the reader picked one in the URL

    def params(self, paged: bool = True) -> list[tuple[str, str]]:
        params = [("q", self.text)] if self.text else []
        params += [(facet, key) for facet in FILTERS for key in self.filters.get(facet, ())]
        if self.more:
            params.append(("more", self.more))
        if paged and self.page > 1:
            params.append(("page", str(self.page)))
        return params + list(self.lang)

    def toggled(self, facet: str, key: str) -> ListState:
        keys = self.filters.get(facet, ())
        changed = tuple(k for k in keys if k != key) if key in keys else (*keys, key)
        return replace(self, filters={**self.filters, facet: changed}, page=1)

    def url(self, urls: PublicUrls, path: str = "projects", paged: bool = True) -> str:
        params = self.params(paged)
        return urls.page(path) + (f"?{urlencode(params)}" if params else "")


def _values(
    index: SiteIndex,
    state: ListState,
    facet: str,
    counts: Mapping[str, int],
    lang: str,
    urls: PublicUrls,
    ordered: Sequence[str],
) -> dict[str, Any]:
    selected = [index.iri(facet, key) for key in state.filters.get(facet, ())]
    shown = list(ordered) if state.more == facet else list(ordered[:FACET_LIMIT])
    shown += [iri for iri in selected if iri is not None and iri not in shown]
    values = []
    for iri in shown:
        count = counts.get(iri, 0)
        if count == 0 and iri not in selected:
            continue
        key = index.key(iri)
        values.append(
            {
                "label": iri if facet == YEAR else index.label(iri, lang),
                "count": number(count, lang),
                "selected": iri in selected,
                "href": state.toggled(facet, key).url(urls),
            }
        )
    expand = replace(state, more="" if state.more == facet else facet)
    return {
        "key": facet,
        "options": values,
        "more": number(len(ordered), lang) if len(ordered) > FACET_LIMIT else None,
        "more_href": expand.url(urls) + f"#facet-{facet}",
        "expanded": state.more == facet,
    }


def list_variables(
    index: SiteIndex,
    state: ListState,
    lang: str,
    urls: PublicUrls,
    positions: Sequence[int],
    counts: Mapping[str, Mapping[str, int]],
    order: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    """The project list: one page of items, facets with counts, paging and the selection's downloads.

    `order` gives each facet's values with a non-zero count in display order.
    """
    total = len(positions)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(state.page, pages)
    state = replace(state, page=page)
    items = [item(index, index.projects[p], lang, urls) for p in positions[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]]
    facets = [_values(index, state, f, counts[f], lang, urls, order[f]) for f in FILTERS]
    prev_href = replace(state, page=page - 1).url(urls) if page > 1 else None
    next_href = replace(state, page=page + 1).url(urls) if page < pages else None
    hidden = [(name, value) for name, value in state.params(paged=False) if name != "q"]
    return {
        "items": items,
        "facets": facets,
        "total": total,
        "total_text": number(total, lang),
        "text": state.text,
        "page": page,
        "pages": pages,
        "prev_href": prev_href,
        "next_href": next_href,
        "hidden": hidden,
        "filtered": bool(state.text or any(state.filters.values())),
        "clear_href": ListState(lang=state.lang).url(urls),
        "csv_href": replace(state, more="").url(urls, "projects.csv", paged=False),
        "json_href": replace(state, more="").url(urls, "projects.json", paged=False),
        "action": urls.page("projects"),
    }


def item(index: SiteIndex, project: Mapping[str, Any], lang: str, urls: PublicUrls) -> dict[str, Any]:
    title = pick(project["title"], lang) or (project["ref"], "")
    description = pick(project["description"], lang)
    return {
        "href": urls.page(f"doc/project/{project['ref']}"),
        "title": title[0],
        "title_lang": title[1],
        "description": description[0] if description else "",
        "description_lang": description[1] if description else "",
        "phase": ", ".join(index.label(v, lang) for v in project["phase"]),
        "orgs": ", ".join(index.label(v, lang) for v in project["org"]),
        "year": project["year"],
    }


@dataclass(frozen=True)
class Home:
    """What the home page shows for one reader: the headline numbers and the charts, linked to the list."""

    index: SiteIndex
    t: Mapping[str, str]
    lang: str
    urls: PublicUrls
    lang_params: tuple[tuple[str, str], ...]

    def link(self, facet: str, value: str) -> str:
        """The project list filtered on one facet value (an IRI, or a year)."""
        return ListState(filters={facet: (self.index.key(value),)}, lang=self.lang_params).url(self.urls)

    def charts(self, order: Mapping[str, Sequence[str]]) -> list[Chart]:
        index, lang = self.index, self.lang
        charts = []
        for facet, key in (
            ("phase", "chart_phase"),
            ("level", "chart_level"),
            ("domain", "chart_domain"),
            ("principle", "chart_principle"),
        ):
            counts = index.all_counts[facet]
            items = [(index.label(iri, lang), counts[iri], self.link(facet, iri)) for iri in order[facet]]
            charts.append(horizontal(facet, self.t[key], items, index.total, lang))
        if index.years:
            first, last = min(index.years), max(index.years)
            years = [(str(y), index.years.get(y, 0), self.link(YEAR, str(y))) for y in range(first, last + 1)]
        else:
            years = []
        charts.append(columns(YEAR, self.t["chart_year"], years, index.total, lang))
        return charts

    def headline(self, order: Mapping[str, Sequence[str]]) -> list[dict[str, str]]:
        """Big numbers: projects, organisations, each phase with its share, projects addressing the charter."""
        index, lang, t = self.index, self.lang, self.t
        everything = ListState(lang=self.lang_params).url(self.urls)
        cards = [
            {"value": number(index.total, lang), "label": t["count_projects"], "href": everything},
            {"value": number(index.organisations, lang), "label": t["count_organisations"], "href": ""},
        ]
        counts = index.all_counts["phase"]
        for iri in order["phase"]:
            if counts[iri]:
                share_text = share(counts[iri], index.total, lang)
                label = t["count_phase"].format(label=index.label(iri, lang), share=share_text)
                cards.append({"value": number(counts[iri], lang), "label": label, "href": self.link("phase", iri)})
        if index.with_principle:
            cards.append({"value": number(index.with_principle, lang), "label": t["count_with_principle"], "href": ""})
        return cards


def downloads(manifest: Manifest, index: SiteIndex, lang: str, urls: PublicUrls) -> list[dict[str, Any]]:
    """The build's files grouped by dataset (the manifest's order of names), with human sizes."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in manifest.files:
        path = entry.path
        compressed = path.endswith(f".{GZIP_FILE.extension}")
        extension = path.removesuffix(f".{GZIP_FILE.extension}").rsplit(".", 1)[-1]
        groups.setdefault(entry.dataset, []).append(
            {
                "path": path,
                "name": path.rsplit("/", 1)[-1],
                "href": urls.page(path),
                "format": label_of(extension),
                "compressed": compressed,
                "media_type": entry.media_type,
                "bytes": entry.bytes,
                "size": human_size(entry.bytes, lang),
                "sha256": entry.sha256,
            }
        )
    result = []
    for name in sorted(groups):
        about = index.datasets.get(name, {})
        result.append(
            {
                "name": name,
                "title": about.get("title", {}).get(lang, name),
                "description": about.get("description", {}).get(lang, ""),
                "files": sorted(groups[name], key=lambda f: f["path"]),
                "count": len(groups[name]),
            }
        )
    return result
