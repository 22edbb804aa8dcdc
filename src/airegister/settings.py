"""The one Settings object: flags override environment variables (prefix AIREGISTER_), which override defaults.

It is passed explicitly to whatever needs it (the CLI builds it once); nothing reads it as a global.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from airegister.rdf.namespaces import DEFAULT_BASE, Base
from airegister.rdf.sparql_text import safe_iri


def read_settings(**overrides: Any) -> Settings:
    """The settings, from flags (`overrides`), the environment and defaults; a value that does not fit is a
    SettingsError naming the setting, what it should be, and what was given."""
    try:
        return Settings(**overrides)
    except ValidationError as invalid:
        problems = []
        for error in invalid.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "?"
            words = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"the setting {name} (AIREGISTER_{name}, or its flag): {words}, not {error['input']!r}")
        raise SettingsError("; ".join(problems)) from None


class SettingsError(ValueError):
    """A setting given a value that does not fit it."""


class BuildMismatch(ValueError):
    """The operator's settings contradict the build about to be served."""


class Settings(BaseSettings):
    """Every setting the commands and the server read, documented where it is declared."""

    model_config = SettingsConfigDict(env_prefix="AIREGISTER_", extra="ignore")

    base_iri: str = Field(DEFAULT_BASE, description="Identity base of every IRI we mint; ends with '/'.")
    public_url: str = Field(
        "http://127.0.0.1:8000/",
        description="Where the site is reached (scheme, host, optional path prefix); may differ from base_iri. "
        "`build` writes it into the catalog and the RDF; `serve` takes the build's unless it is set.",
    )
    root: Path = Field(Path("."), description="Content root: the folder holding ontology/, shapes/ and data/.")
    dist: Path = Field(Path("dist"), description="The publication the server serves (written by `build`).")
    store: str = Field("embedded", description="'embedded' (pyoxigraph over dist/) or a SPARQL endpoint URL.")
    query_timeout: float = Field(30.0, gt=0, description="Seconds after which a SPARQL query is stopped.")
    slow_query: float = Field(
        0.05, gt=0, description="Seconds after which a query runs at the lowest CPU priority, so lookups go first."
    )
    host: str = Field("127.0.0.1", description="Address the server listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port the server listens on.")
    processes: int = Field(
        2,
        ge=1,
        description="Server processes sharing the port; each answers HTTP and one-subject lookups itself, and has "
        "its share of the query workers. More processes than cores answered fewer lookups, not more.",
    )
    workers: int = Field(
        4,
        ge=1,
        description="SPARQL queries evaluated at once in worker processes, shared out among the server processes "
        "(rounded up; each also keeps a spare worker); more than the cores, so a long query never holds up lookups.",
    )
    worker_threads: int = Field(
        1,
        ge=1,
        description="Queries one worker process evaluates at once: its threads share the store's caches, but also "
        "its GIL, which pyoxigraph holds while it writes a whole CONSTRUCT answer, so a large answer delays "
        "the lookups of its sibling threads.",
    )
    max_query_bytes: int = Field(64 * 1024, ge=1, description="Longest SPARQL query accepted, in bytes (413 past it).")
    service_allowlist: tuple[str, ...] = Field(
        (), description="SPARQL endpoints a query may call with SERVICE; empty refuses every SERVICE."
    )
    cache_bytes: int = Field(
        64 << 20, ge=0, description="Memory for cached answers in each server process (a build never changes)."
    )
    inline_lookup_limit: int = Field(
        1000,
        ge=0,
        description="One-subject lookups are answered in the server process when no subject of the build has more "
        "quads than this (they cannot be stopped there, so their cost must be bounded); 0 sends every query to "
        "the workers.",
    )

    @field_validator("base_iri", "public_url")
    @classmethod
    def _an_http_iri_ending_with_slash(cls, value: str) -> str:
        """Both become IRIs in RDF and in queries (a query's base): refuse here what the engine would refuse
        later, one query at a time."""
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or not safe_iri(value):
            raise ValueError("must be an http(s) address with no space, quote, angle bracket or backslash")
        return value if value.endswith("/") else value + "/"

    @property
    def base(self) -> Base:
        return Base(self.base_iri)

    def is_set(self, name: str) -> bool:
        """Whether the operator gave this setting (flag or environment), rather than leaving the default."""
        return name in self.model_fields_set

    def serving(self, base_iri: str, public_url: str) -> Settings:
        """These settings for serving a build made for `base_iri` and `public_url` (empty: not recorded).

        The build's base and public URL stand where the operator set none: IRIs and absolute URLs then
        match what the build published. A base set to another than the build's would break every link, so
        it is refused with a BuildMismatch that says what to do."""
        if base_iri and self.is_set("base_iri") and self.base_iri != base_iri:
            raise BuildMismatch(
                f"the build was made for the base IRI {base_iri} but AIREGISTER_BASE_IRI is {self.base_iri}: "
                "build again under this base, or unset it"
            )
        update = {
            name: value
            for name, value in (("base_iri", base_iri), ("public_url", public_url))
            if value and not self.is_set(name)
        }
        return self.model_copy(update=update)
