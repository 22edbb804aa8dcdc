"""Builds are reproducible: the same content gives the same bytes, whatever process or hash seed built it.

A harvester compares checksums; a file that changes when its content did not looks like a new release.
Python seeds `hash()` per process, and rdflib's memory store keeps triples in sets, so only builds made
in separate processes with different seeds can show an order that follows the seed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from airegister.publication import layout
from airegister.publish.build import run_build
from airegister.settings import Settings

SEEDS = ("1", "2")


def build_files(build: Path) -> dict[str, bytes]:
    """Every file of a build but the store's own (RocksDB writes its own logs, ids and times)."""
    return {
        path.relative_to(build).as_posix(): path.read_bytes()
        for path in sorted(build.rglob("*"))
        if path.is_file() and path.relative_to(build).parts[0] != layout.STORE
    }


def build_with_seed(root: Path, out: Path, seed: str) -> Path:
    """`airegister build` in a process of its own whose hash seed is `seed`; returns the build folder."""
    command = [sys.executable, "-m", "airegister.cli", "build", "--root", str(root), "--out", str(out), "--quiet"]
    done = subprocess.run(
        command, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    build = layout.current_build(out)
    assert build is not None
    return build


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


def test_builds_with_other_hash_seeds_are_byte_identical(repo_root: Path, published: Path, tmp_path: Path) -> None:
    """Seeds 1 and 2 in processes of their own, and this process's own seed (the session's build)."""
    session = layout.current_build(published)
    assert session is not None
    builds = {f"seed {seed}": build_with_seed(repo_root, tmp_path / f"seed-{seed}", seed) for seed in SEEDS}
    builds[f"this process (PYTHONHASHSEED={os.environ.get('PYTHONHASHSEED', 'random')})"] = session
    assert len({build.name for build in builds.values()}) == 1, "the build id depends on the content only"
    (first_name, first), *others = ((name, build_files(build)) for name, build in builds.items())
    assert len(first) > 20
    for name, files in others:
        different = differences(first, files)
        assert not different, f"{first_name} and {name} give other bytes in: {', '.join(different)}"


def test_two_builds_in_one_process_are_byte_identical(repo_root: Path, published: Path, tmp_path: Path) -> None:
    """Nothing one build leaves behind in the process (a cache, a bound prefix) changes the next."""
    built = layout.current_build(published)
    assert built is not None
    run_build(Settings(root=repo_root), tmp_path)
    again = layout.current_build(tmp_path)
    assert again is not None
    assert not differences(build_files(built), build_files(again))
