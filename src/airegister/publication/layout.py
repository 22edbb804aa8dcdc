"""Where builds live and how the served one is switched, atomically.

dist/
  builds/<build-id>.<n>/   one complete, never-modified build per folder (its files are named below)
  current -> builds/...    the publication served; replaced in one rename
A build writes into `builds/.partial-*`, renames it into place when complete, then swaps `current`.
A crash at any point leaves `current` pointing at the previous complete build.

Publishing prunes all but the newest `KEEP` builds, except any build a server still serves: a running
server holds a shared lock on its build's folder (`serving`), which writes nothing and ends with the
server, even a killed one. Without it, a server left running across publications would lose its dumps,
and could not start query workers again after a timeout.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from airegister.rdf.syntaxes import JSONLD, RDFXML, TURTLE

log = logging.getLogger(__name__)
BUILDS = "builds"
CURRENT = "current"
PARTIAL_PREFIX = ".partial-"
KEEP = 3
# Inside a build folder:
MANIFEST = "manifest.json"  # written last (publication/manifest.py)
SITE_INDEX = "site-index.json"  # what the site's pages read (publication/site_index.py)
STORE = "store"  # the query store (RocksDB), never served as a file
DUMPS = "dumps"
QUERIES = "queries"  # the example queries, as `.rq` files
SHAPES = "shapes"  # the SHACL shapes published data meets (not shapes/source-only/: rules for source files)
VOID = "void.ttl"
CATALOG = "catalog"  # one file per syntax of CATALOG_SYNTAXES, Turtle first
CATALOG_SYNTAXES = (TURTLE, RDFXML, JSONLD)


def catalog_file(build: Path, extension: str = TURTLE.extension) -> Path:
    return build / f"{CATALOG}.{extension}"


def current_build(dist: Path) -> Path | None:
    """The build being served, or None before the first build."""
    link = dist / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def start_partial(dist: Path) -> Path:
    """A fresh folder to write a build into; leftovers of crashed builds are removed first."""
    builds = dist / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    for leftover in builds.glob(PARTIAL_PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)
    partial = Path(tempfile.mkdtemp(prefix=PARTIAL_PREFIX, dir=builds))
    partial.chmod(0o755)  # readable by a web server running as another user
    return partial


def _next_name(builds: Path, build_id: str) -> str:
    taken = {p.name for p in builds.iterdir()}
    number = 1
    while f"{build_id}.{number}" in taken:
        number += 1
    return f"{build_id}.{number}"


def publish(dist: Path, partial: Path, build_id: str) -> Path:
    """Move a complete build into place and make it the served one, then prune old builds."""
    builds = dist / BUILDS
    final = builds / _next_name(builds, build_id)
    os.replace(partial, final)
    link_tmp = dist / f".{CURRENT}.tmp"
    link_tmp.unlink(missing_ok=True)
    link_tmp.symlink_to(Path(BUILDS) / final.name)
    os.replace(link_tmp, dist / CURRENT)
    _prune(builds, keep=final)
    return final


def _prune(builds: Path, keep: Path) -> None:
    complete = sorted(
        (p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.stat().st_mtime
    )
    for old in complete[:-KEEP]:
        if old != keep and not _served(old):
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def serving(build: Path) -> Iterator[None]:
    """Keep `build` from being pruned while the block runs (a server, for as long as it serves it).

    On a file system without locks the server still serves, unprotected, and says so."""
    folder = os.open(build, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_SH)
        except OSError as error:
            log.warning("cannot lock %s (%s): a later build may prune it while it is served", build, error)
        yield
    finally:
        os.close(folder)


def _served(build: Path) -> bool:
    """Whether a server holds `build` (where locks are unsupported: no, as before there were any)."""
    try:
        folder = os.open(build, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(folder)
    return False


def abandon(partial: Path) -> None:
    shutil.rmtree(partial, ignore_errors=True)
