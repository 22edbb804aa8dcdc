"""The site index in memory: inverted indexes for facets and words, so a request costs what it finds.

`site-index.json` (its contract: `publication/site_index.py`) is read once per build. Each facet
value and each search token maps to the sorted positions of its projects; a selection intersects the
smallest list with the others' sets, and facet counts are taken over the selection only. The unfiltered
view never touches the projects: its counts come precomputed, its order is a list sliced per page.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airegister.publication.site_index import FACETS, fold, read, tokens
from airegister.rdf.languages import LANGUAGES, local_name, pick

YEAR = "year"
FILTERS = (*FACETS, YEAR)  # query parameters that select projects
RECENT = 64  # selections whose results are kept (chart links and popular filters are asked again and again)


@dataclass(frozen=True)
class Selection:
    """What a reader asked for: facet values (IRIs, OR within a facet, AND across) and search words (AND)."""

    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    words: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return not self.words and not any(self.filters.values())


@dataclass
class Result:
    """Matching positions in reading order and the facet counts to show beside them."""

    positions: Sequence[int]
    counts: dict[str, Counter[str]]


class SiteIndex:
    """The loaded index: projects, labels, postings, reading orders per language, precomputed counts."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.projects: list[dict[str, Any]] = list(data["projects"])
        self.labels: dict[str, dict[str, str]] = dict(data["labels"])
        self.notations: dict[str, str] = dict(data["notations"])
        self.datasets: dict[str, dict[str, dict[str, str]]] = dict(data["datasets"])
        self.modified: str | None = data.get("modified")
        self.publisher: dict[str, str] | None = data.get("publisher")
        self.id_base = f"{data['base']}id/"
        counts = data["counts"]
        self.total: int = counts["projects"]
        self.organisations: int = counts["organisations"]
        self.years: dict[int, int] = {int(year): n for year, n in counts["years"].items()}
        self.all_counts: dict[str, Counter[str]] = {f: Counter(counts["facets"][f]) for f in FACETS}
        self.all_counts[YEAR] = Counter({str(y): n for y, n in self.years.items()})
        self.postings: dict[str, dict[str, list[int]]] = {f: {} for f in FILTERS}
        words: dict[str, list[int]] = {}
        for position, project in enumerate(self.projects):
            for facet in FACETS:
                for value in project[facet]:
                    self.postings[facet].setdefault(value, []).append(position)
            if project["year"] is not None:
                self.postings[YEAR].setdefault(str(project["year"]), []).append(position)
            for word in project.pop("tokens").split():
                words.setdefault(word, []).append(position)
        self.words = words
        self.vocabulary = sorted(words)
        self.with_principle = sum(1 for p in self.projects if p["principle"])
        self.order: dict[str, list[int]] = {}
        self.rank: dict[str, list[int]] = {}
        self._recent: dict[tuple[object, ...], Result] = {}  # a build never changes: answers stay right
        for lang in LANGUAGES:
            keys = [(fold(self.title(p, lang)), p["ref"]) for p in self.projects]
            order = sorted(range(len(self.projects)), key=keys.__getitem__)
            rank = [0] * len(order)
            for place, position in enumerate(order):
                rank[position] = place
            self.order[lang], self.rank[lang] = order, rank

    @classmethod
    def load(cls, build: Path) -> SiteIndex:
        """The index of `build`; `IndexMissing` when the build has none."""
        return cls(read(build))

    # -- labels and keys --------------------------------------------------------------------------

    def label(self, iri: str, lang: str) -> str:
        labels = self.labels.get(iri)
        return labels[lang] if labels else local_name(iri)

    @staticmethod
    def title(project: Mapping[str, Any], lang: str) -> str:
        found = pick(project["title"], lang)
        return found[0] if found else str(project["ref"])

    def key(self, iri: str) -> str:
        """A facet value as it appears in URLs: our IRIs without `{base}id/`, others whole."""
        return iri[len(self.id_base) :] if iri.startswith(self.id_base) else iri

    def iri(self, facet: str, key: str) -> str | None:
        """The facet value a URL key names, if the index knows it."""
        for candidate in (self.id_base + key, key):
            if candidate in self.postings[facet] or candidate in self.all_counts.get(facet, {}):
                return candidate
        return None

    def sort_values(self, facet: str, counts: Mapping[str, int], lang: str) -> list[str]:
        """Facet values in display order: by notation where the scheme has codes, else most projects first."""
        values = list(counts)
        if facet == YEAR:
            return sorted(values)
        if values and all(v in self.notations for v in values):
            return sorted(values, key=lambda v: (self.notations[v], v))
        return sorted(values, key=lambda v: (-counts[v], fold(self.label(v, lang)), v))

    # -- selection --------------------------------------------------------------------------------

    def _word_positions(self, word: str) -> list[int]:
        """Projects with a token starting with `word` (so "transcri" finds "transcription")."""
        start = bisect.bisect_left(self.vocabulary, word)
        found: list[list[int]] = []
        for token in self.vocabulary[start:]:
            if not token.startswith(word):
                break
            found.append(self.words[token])
        return found[0] if len(found) == 1 else sorted({p for group in found for p in group})

    def _groups(self, selection: Selection, skip: str | None = None) -> list[Sequence[int]]:
        groups: list[Sequence[int]] = []
        for facet, values in selection.filters.items():
            if facet == skip or not values:
                continue
            lists = [self.postings[facet].get(v, []) for v in values]
            groups.append(lists[0] if len(lists) == 1 else sorted({p for group in lists for p in group}))
        groups.extend(self._word_positions(word) for word in selection.words)
        return groups

    @staticmethod
    def _intersect(groups: list[Sequence[int]]) -> list[int]:
        """Walk the smallest group, keeping what every other group holds: O(smallest + the others' sizes)."""
        groups = sorted(groups, key=len)
        others = [set(group) for group in groups[1:]]
        return [p for p in groups[0] if all(p in other for other in others)]

    def select(self, selection: Selection, lang: str) -> Result:
        """Matching projects in `lang`'s reading order, with facet counts; recent answers are kept."""
        if selection.everything:
            return Result(self.order[lang], self.all_counts)
        key = (tuple(sorted(selection.filters.items())), selection.words, lang)
        if key in self._recent:
            self._recent[key] = self._recent.pop(key)  # most recently used last
            return self._recent[key]
        result = self._select(selection, lang)
        self._recent[key] = result
        if len(self._recent) > RECENT:
            del self._recent[next(iter(self._recent))]
        return result

    def _select(self, selection: Selection, lang: str) -> Result:
        rank = self.rank[lang]
        matching = self._intersect(self._groups(selection))
        positions = sorted(matching, key=rank.__getitem__)
        counts: dict[str, Counter[str]] = {}
        for facet in FILTERS:
            if selection.filters.get(facet):  # a facet's own choice does not narrow its counts (OR within)
                groups = self._groups(selection, skip=facet)
                counts[facet] = self.all_counts[facet] if not groups else self._count(facet, self._intersect(groups))
            else:
                counts[facet] = self._count(facet, matching)
        return Result(positions, counts)

    def _count(self, facet: str, positions: Iterable[int]) -> Counter[str]:
        counter: Counter[str] = Counter()
        if facet == YEAR:
            counter.update(str(self.projects[p]["year"]) for p in positions if self.projects[p]["year"] is not None)
        else:
            for p in positions:
                counter.update(self.projects[p][facet])
        return counter

    def parse(self, params: Iterable[tuple[str, str]]) -> tuple[Selection, str]:
        """The selection named by query parameters (unknown values dropped) and the search text as typed."""
        filters: dict[str, list[str]] = {}
        text = ""
        for name, value in params:
            if name == "q":
                text = value
            elif name in FILTERS:
                iri = self.iri(name, value)
                if iri is not None and iri not in filters.setdefault(name, []):
                    filters[name].append(iri)
        words = tuple(dict.fromkeys(tokens(text)))
        return Selection({k: tuple(v) for k, v in filters.items() if v}, words), text
