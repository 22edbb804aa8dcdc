"""What a column of a sheet is, and how the shapes say which columns are mandatory.

A column names the property path it carries, the kind of value a cell holds, and where allowed values
come from (concept schemes by their ref or IRI, classes whose instances are allowed, or the shapes' sh:in
list on its path, which then is the only source). The columns of each
sheet are tables of their own (`project_columns`, `accountability_columns`, `charter`, `organisations`);
export, import, the documentation sheet and the drop-downs all read those tables. Whether a column is
mandatory is not written in them: it is read from the shapes (sh:minCount on the property shapes of the
sheet's class), so the spreadsheet and the validation cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from airegister.rdf.languages import LANGUAGES

# The sheet's order of languages (text columns, --lang choices): Belgium's languages first, English last.
COLUMN_ORDER = tuple(sorted(LANGUAGES, key=lambda lang: lang == "en"))
SEPARATOR = " | "  # joins the values of a multi-valued cell


class Kind(StrEnum):
    IDENTIFIER = "identifier"  # what finds the row's record; empty on a new row where rows may be new
    REFERENCE = "shown, not imported"  # the Organisations sheet's names: edited in the file, not the sheet
    TEXT = "text"  # plain text
    LANG_TEXT = "text in one language"
    CONCEPT = "value from a list"
    ORGANISATION = "organisation"
    PERIOD_DATE = "year, year-month or date"
    DATE = "date"  # a date, or a date and time (when a record was published or changed)
    DAY = "date (day)"  # xsd:date only
    IRI = "web address"
    EMAIL = "e-mail address"
    PHONE = "telephone number"
    BOOLEAN = "yes or no"


@dataclass(frozen=True)
class Column:
    """One column of a sheet."""

    key: str  # stable, language-neutral name; also accepted as a header
    path: tuple[URIRef, ...]  # property path from the record; two steps for fields held in a blank node
    kind: Kind
    meaning: str  # one sentence for the documentation sheet (English)
    multi: bool = False  # several values, joined with SEPARATOR
    lang: str | None = None  # LANG_TEXT: the language this column holds
    schemes: tuple[str, ...] = ()  # CONCEPT: scheme refs under the base ("phase") or full IRIs
    classes: tuple[URIRef, ...] = ()  # CONCEPT: classes whose instances (transitively) are allowed
    open: bool = False  # CONCEPT: any IRI is accepted too (labels are only known for some)
    numbered: bool = False  # CONCEPT: values show their notation first and keep its order (Annex III points)
    labels: dict[str, str] = field(default_factory=dict)  # header per language when the property's label is unclear
    example: str = ""
    node_type: URIRef | None = None  # two-step columns: the class of the blank node a new value is put in
    titled: bool = False  # two-step columns: the header names the group first ("Human oversight: ...")

    @property
    def group(self) -> URIRef | None:
        """The blank-node field a two-step column belongs to (period, contact point, accountability group)."""
        return self.path[0] if len(self.path) > 1 else None

    @property
    def prop(self) -> URIRef:
        return self.path[-1]


@dataclass(frozen=True)
class Table:
    """A sheet: its name (a key of `words.WORDS`), its columns, and the class of the records its rows are."""

    name: str
    columns: tuple[Column, ...]
    target: URIRef  # the class whose shapes say which columns are mandatory
    keys: tuple[str, ...]  # the columns that find a row's record; a sheet without them cannot be imported
    via: tuple[URIRef, ...] = ()  # rows are nodes reached by this path from a record of `target` (assessments)


def lang_columns(
    key: str,
    path: tuple[URIRef, ...],
    meaning: str,
    example: str = "",
    multi: bool = False,
    labels: dict[str, str] | None = None,
    node_type: URIRef | None = None,
    titled: bool = False,
) -> list[Column]:
    """One column per language for a language-tagged text (`{key}_fr`, `{key}_nl`, ...)."""
    return [
        Column(
            f"{key}_{lang}",
            path,
            Kind.LANG_TEXT,
            meaning,
            multi=multi,
            lang=lang,
            labels=labels or {},
            example=example if lang == "en" else "",
            node_type=node_type,
            titled=titled,
        )
        for lang in COLUMN_ORDER
    ]


def shape_path(shapes: Graph, shape: URIRef | object) -> tuple[URIRef, ...] | None:
    """A property shape's sh:path as a tuple (one IRI, or an RDF list of IRIs); None for other paths."""
    path = shapes.value(shape, SH.path)  # type: ignore[arg-type]
    if isinstance(path, URIRef):
        return (path,)
    if path is not None and (path, RDF.first, None) in shapes:
        items = list(Collection(shapes, path))
        if all(isinstance(i, URIRef) for i in items):
            return tuple(i for i in items if isinstance(i, URIRef))
    return None


@dataclass(frozen=True)
class Constraint:
    """What the spreadsheet reads of one property shape, read once: its path, its names, whether it makes
    the field mandatory or recommended, and the property shapes its values must meet in turn."""

    shape: Node
    path: tuple[URIRef, ...] | None
    names: frozenset[str]
    required: str | None  # 'mandatory' or 'recommended' when it sets sh:minCount >= 1
    inner: tuple[Constraint, ...] = ()  # a violation-level shape's sh:node / sh:and node shapes' properties
    allowed: tuple[URIRef, ...] | None = None  # a violation-level shape's sh:in list: the only values accepted


def _constraint(shapes: Graph, shape: Node, outer: bool = True) -> Constraint:
    count = shapes.value(shape, SH.minCount)
    violation = (shapes.value(shape, SH.severity) or SH.Violation) == SH.Violation
    required = ("mandatory" if violation else "recommended") if isinstance(count, Literal) and int(count) >= 1 else None
    nodes = list(shapes.objects(shape, SH.node))
    for items in shapes.objects(shape, SH["and"]):
        nodes.extend(Collection(shapes, items))
    inner = tuple(
        _constraint(shapes, prop, outer=False)
        for node in (nodes if outer and violation else [])
        for prop in shapes.objects(node, SH.property)
    )
    names = frozenset(str(n) for n in shapes.objects(shape, SH.name))
    listed = shapes.value(shape, SH["in"]) if violation else None
    allowed = None if listed is None else tuple(i for i in Collection(shapes, listed) if isinstance(i, URIRef))
    return Constraint(shape, shape_path(shapes, shape), names, required, inner, allowed)


def property_shapes(shapes: Graph, target: URIRef) -> list[Constraint]:
    """The property shapes that apply to every record of a class: sh:property of shapes targeting it, and
    property shapes that target it themselves."""
    found: list[Constraint] = []
    for node in sorted(set(shapes.subjects(SH.targetClass, target)), key=str):
        if (node, SH.path, None) in shapes:
            found.append(_constraint(shapes, node))
        for prop in shapes.objects(node, SH.property):
            if isinstance(prop, URIRef):
                found.append(_constraint(shapes, prop))
    return found


def nested_shapes(constraints: list[Constraint], via: tuple[URIRef, ...]) -> list[Constraint]:
    """The property shapes every node reached by `via` must meet: those of the node shapes that a
    violation-level shape on the path `via` requires of its values (sh:node, sh:and)."""
    return [inner for c in constraints if c.path == via for inner in c.inner]


def requirement(constraints: list[Constraint], column: Column) -> str:
    """'mandatory' (a violation when empty), 'recommended' (a warning) or 'optional', from sh:minCount."""
    levels = {c.required for c in constraints if c.path == column.path and c.required}
    return "mandatory" if "mandatory" in levels else "recommended" if levels else "optional"


def allowed_values(constraints: list[Constraint], column: Column) -> set[URIRef] | None:
    """The values the shapes list for the column's path (sh:in), None when no shape lists them: a drop-down
    offers exactly what validation accepts."""
    lists = [set(c.allowed) for c in constraints if c.path == column.path and c.allowed is not None]
    return set.intersection(*lists) if lists else None


def shape_names(
    constraints: list[Constraint], column: Column, via: tuple[URIRef, ...] = (), whole: bool = False
) -> set[str]:
    """The sh:name of every shape on the column's path (after `via`), or with `whole` on its blank-node field
    as a whole: how validation findings reach the column."""
    if not column.path:
        return set()
    paths = {(*via, column.group)} if whole and column.group else set() if whole else {via + column.path}
    names = {n for c in constraints if c.path in paths for n in c.names}
    if via and not whole:  # a shape on `via` whose node shape constrains the column's path names it too
        names |= {
            n for c in constraints if c.path == via and any(i.path == column.path for i in c.inner) for n in c.names
        }
    return names
