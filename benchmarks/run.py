"""`make bench`: side-by-side measurements of airegister, printed as tables of ratios.

    python benchmarks/run.py [--sizes 1000,10000,50000] [--quick] [--only build|sparql|pages] [--json FILE]

What is measured, and how (everything is written under bench-out/; every server listens on 127.0.0.1 on a
free port and its whole process group is stopped at the end, whatever happens):

1. build   `benchmarks/generate.py N --seed 7` content roots, then `airegister build` for each N in a
           subprocess: wall time, the child's peak RSS (os.wait4) and time per project. The ratio of the
           largest N's per-project time to the smallest's shows how cost grows: near 1 is linear, 5 means
           the per-project cost grew fivefold. `airegister validate` is timed on the N nearest 10,000.
2. sparql  On the largest build: ours (`airegister serve`, default settings), `oxigraph serve-read-only` over a
           store it loads itself from the build's dumps/all.nq, and `rdflib-endpoint serve dumps/all.nq`, all
           driven by the same wrk (2 threads, 8 connections, fixed duration, a request cap per thread) with
           `SELECT ?p ?o WHERE { <project> ?p ?o }`:
             random  a project IRI drawn at random per request (repeats can still hit our answer cache);
             unique  the same, plus a random SPARQL comment per request: no two query texts are equal, so no
                     answer cache (ours, or rdflib-endpoint's prepared queries) ever hits: the store-bound figure;
             fixed   one IRI for every request (what a cache-friendly benchmark reports; shown separately);
             heavy   the random lookups while a background client loops a cartesian-product COUNT (ours:
                     `timeout=5` parameter, and after 50 ms its thread is idle-class; oxigraph runs without
                     `--timeout-s`, which starts a thread per query and failed with EAGAIN under this load;
                     rdflib-endpoint has no timeout: for both, the run is bounded by wrk's duration and the
                     server is stopped right afterwards).
           Ratios of req/s in the random mode (unique and fixed shown beside): ours/rdflib-endpoint (target
           >= 3), ours/oxigraph (target >= 0.5); and our lookup p99 during the heavy query (target < 50 ms).
3. pages   Ours only, on the pages-sizes builds (2,000 and 50,000): req/s and p99 of `/`, `/projects`, a
           facet link found on `/projects`, a search and a project page; the large/small ratio of req/s for
           `/` and `/projects` should stay near 1 (a page must not get slower with the number of projects).
           Skipped with a message while those routes answer 404.

Reading the numbers: the machine has 2 cores shared with wrk and other jobs, so absolute figures move by
tens of percent between runs; compare the ratios of one run. The report also goes to bench-out/report.txt
and the JSON to bench-out/results.json (or --json FILE).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from infra import (
    OUT,
    REPO,
    Server,
    ensure_apt,
    ensure_peers_venv,
    free_port,
    install_cleanup,
    log,
    peer_versions,
    run_measured,
    stop_all,
)
from load import HeavyClient, LoadResult, run_wrk, wrk_version

VENV_BIN = Path(sys.executable).parent
AIREGISTER = str(VENV_BIN / "airegister")
SEED = 7
WORK = OUT / "work"
RESULTS_JSON = "application/sparql-results+json"
AI_PROJECT = "https://w3id.org/be-ai-register/ns#AIProject"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
HEAVY_TIMEOUT = 5
FAILED: set[int] = set()  # sizes whose build failed or timed out in this run


@dataclass
class Config:
    sizes: list[int]
    page_sizes: list[int]
    seconds: float
    page_seconds: float
    max_requests: int
    build_timeout: float
    fresh: bool
    only: str | None


class Report:
    """Collects text blocks (printed as they come) and JSON results."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.data: dict[str, object] = {}

    def say(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.extend(text.splitlines() or [""])

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
        widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
        for n, row in enumerate(cells):
            self.say(
                "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
            )
            if n == 0:
                self.say("  ".join("-" * w for w in widths))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "-" if value is None else str(value)


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def verdict(value: float | None, ok: Callable[[float], bool]) -> str:
    return "n/a" if value is None else ("ok" if ok(value) else "MISSED")


# --------------------------------------------------------------------------------------------------
# Builds


def root_dir(n: int) -> Path:
    return WORK / f"root-{n}"


def dist_dir(n: int) -> Path:
    return WORK / f"dist-{n}"


READY = "ready: "  # what our server prints once every server process has started


def serve_command(dist: Path, port: int) -> list[str]:
    """Our server as a user runs it: the default settings (process and worker counts included), on loopback."""
    return [AIREGISTER, "serve", "--dist", str(dist), "--host", "127.0.0.1", "--port", str(port)]


def current_build(n: int) -> Path | None:
    link = dist_dir(n) / "current"
    return link.resolve() if link.is_symlink() and (link.resolve() / "store").is_dir() else None


def reusable(build: Path) -> bool:
    """A build written before the manifest recorded its largest subject has every lookup go to the workers."""
    try:
        return "largest_subject" in json.loads((build / "manifest.json").read_bytes())
    except (OSError, ValueError):
        return False


def generate(n: int) -> float:
    command = [
        sys.executable,
        str(REPO / "benchmarks" / "generate.py"),
        str(n),
        "--out",
        str(root_dir(n)),
        "--seed",
        str(SEED),
        "--force",
        "--quiet",
    ]
    measured = run_measured(command, 1800, WORK / "logs" / f"generate-{n}.log")
    if measured.returncode != 0:
        raise RuntimeError(f"generate.py {n} failed:\n{measured.output[-2000:]}")
    return measured.seconds


def build(n: int, timeout: float) -> dict[str, object]:
    """Generate and build N projects from scratch; the build is measured, generation only timed."""
    generated = generate(n)
    shutil.rmtree(dist_dir(n), ignore_errors=True)
    command = [AIREGISTER, "build", "--root", str(root_dir(n)), "--out", str(dist_dir(n)), "--json"]
    measured = run_measured(command, timeout, WORK / "logs" / f"build-{n}.log")
    row: dict[str, object] = {
        "size": n,
        "command": shlex.join(command),
        "generate_s": round(generated, 1),
        "seconds": round(measured.seconds, 1),
        "peak_rss_mb": round(measured.peak_rss_mb),
    }
    if measured.returncode is None:
        row["status"] = f"killed after {timeout:.0f} s"
    elif measured.returncode != 0:
        row["status"] = f"failed (exit {measured.returncode}); see bench-out/work/logs/build-{n}.log"
    else:
        summary = json.loads(measured.output[measured.output.index("{") :])
        row.update(
            status="ok",
            projects=summary["projects"],
            triples=summary["triples"]["all"],
            ms_per_project=round(1000 * measured.seconds / summary["projects"], 2),
        )
    return row


def ensure_build(n: int, cfg: Config, built: dict[int, Path]) -> Path | None:
    """A build of N projects: made in this run, left by an earlier one (unless --fresh), or made now."""
    if n in built:
        return built[n]
    if n in FAILED:
        return None
    existing = current_build(n)
    if existing is not None and not cfg.fresh and reusable(existing):
        log(f"reusing the build of {n:,} projects in {existing} (--fresh rebuilds)")
        built[n] = existing
        return existing
    row = build(n, cfg.build_timeout)
    made = current_build(n) if row["status"] == "ok" else None
    if made is not None:
        built[n] = made
    else:
        FAILED.add(n)
        log(f"no build of {n:,} projects: {row['status']}")
    return made


def section_build(cfg: Config, report: Report, built: dict[int, Path]) -> None:
    report.say("\n== 1. Build scaling (issue 'Publication') ==")
    report.say(f"content: benchmarks/generate.py N --seed {SEED} (plus the seed records); build in a subprocess")
    rows: list[dict[str, object]] = []
    for n in cfg.sizes:
        done = [r for r in rows if r["status"] == "ok"]
        projected = float(str(done[-1]["seconds"])) * n / int(str(done[-1]["size"])) if done else 0.0
        if projected > 2 * cfg.build_timeout:  # a doomed build would only burn the time limit
            note = f"skipped: linear projection {projected:.0f} s > 2 x --build-timeout {cfg.build_timeout:.0f} s"
            rows.append({"size": n, "seconds": None, "peak_rss_mb": None, "status": note})
            FAILED.add(n)
            log(f"build {n:,}: {note}")
            continue
        row = build(n, cfg.build_timeout)
        rows.append(row)
        made = current_build(n) if row["status"] == "ok" else None
        if made is not None:
            built[n] = made
        else:
            FAILED.add(n)  # not retried by the later sections
        log(f"build {n:,}: {row['status']}, {row['seconds']} s, {row['peak_rss_mb']} MB")
    previous: dict[str, object] | None = None
    for row in rows:  # marginal cost: the extra time per extra project since the previous size (fixed costs cancel)
        if row["status"] == "ok" and previous is not None:
            extra = int(str(row["projects"])) - int(str(previous["projects"]))
            seconds = float(str(row["seconds"])) - float(str(previous["seconds"]))
            row["marginal_ms_per_project"] = round(1000 * seconds / extra, 2) if extra else None
        previous = row if row["status"] == "ok" else previous
    report.table(
        ["generated", "projects", "triples", "build s", "peak RSS MB", "ms/project", "marginal", "status"],
        [
            [
                r["size"],
                r.get("projects"),
                r.get("triples"),
                r["seconds"],
                r["peak_rss_mb"],
                r.get("ms_per_project"),
                r.get("marginal_ms_per_project"),
                r["status"],
            ]
            for r in rows
        ],
    )
    report.say("(projects include the seed records; marginal = ms per extra project since the previous size)")
    ok = [r for r in rows if r["status"] == "ok"]
    growth = None
    if len(ok) >= 2:
        small, large = min(ok, key=lambda r: int(str(r["size"]))), max(ok, key=lambda r: int(str(r["size"])))
        growth = ratio(float(str(large["ms_per_project"])), float(str(small["ms_per_project"])))
        report.say(
            f"per-project time, largest/smallest ({large['size']:,}/{small['size']:,}): {growth}  "
            f"(1 = linear growth; {verdict(growth, lambda v: v <= 1.5)} at <= 1.5)"
        )
    report.say("command: " + (str(rows[0]["command"]).replace(str(cfg.sizes[0]), "N") if rows else "-"))
    validate: dict[str, object] = {}
    target = min(cfg.sizes, key=lambda n: abs(n - 10_000))
    if root_dir(target).is_dir():
        command = [AIREGISTER, "validate", "--root", str(root_dir(target))]
        measured = run_measured(command, cfg.build_timeout, WORK / "logs" / f"validate-{target}.log")
        validate = {
            "size": target,
            "command": shlex.join(command),
            "seconds": round(measured.seconds, 1),
            "peak_rss_mb": round(measured.peak_rss_mb),
            "exit": measured.returncode,
        }
        state = "killed at the time limit" if measured.returncode is None else f"exit {measured.returncode}"
        report.say(
            f"validate {target:,} generated projects: {measured.seconds:.1f} s, "
            f"peak RSS {measured.peak_rss_mb:.0f} MB ({state}): {shlex.join(command)}"
        )
    report.data["build"] = {"rows": rows, "per_project_growth": growth, "validate": validate}


# --------------------------------------------------------------------------------------------------
# SPARQL


def project_iris(build_dir: Path) -> list[str]:
    """The projects' IRIs, in file order, read from the build's N-Quads dump."""
    marker = f"<{RDF_TYPE}> <{AI_PROJECT}> "
    seen: dict[str, None] = {}
    with (build_dir / "dumps" / "all.nq").open(encoding="utf-8") as dump:
        for line in dump:
            if marker in line:
                seen[line[1 : line.index(">")]] = None
    return list(seen)


def count_lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))


def lookup(iri: str) -> str:
    return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"


def query_path(endpoint: str, query: str, extra: str = "") -> str:
    return f"{endpoint}?query={urllib.parse.quote(query, safe='')}{extra}"


def rows_of(base: str, path: str) -> int:
    """Rows in one JSON answer: a correctness check before the load (the servers must agree)."""
    request = urllib.request.Request(base + path, headers={"Accept": RESULTS_JSON})
    with urllib.request.urlopen(request, timeout=60) as response:
        return len(json.loads(response.read())["results"]["bindings"])


@dataclass
class Target:
    name: str
    server: Server
    endpoint: str
    heavy_extra: str  # appended to the heavy query's URL
    setup: list[str]


def section_sparql(cfg: Config, report: Report, built: dict[int, Path]) -> None:
    report.say("\n== 2. SPARQL endpoint (issue 'A SPARQL 1.1 endpoint') ==")
    size = next((n for n in sorted(cfg.sizes, reverse=True) if ensure_build(n, cfg, built) is not None), None)
    if size is None:
        report.say("skipped: no build could be made")
        return
    build_dir = built[size]
    wrk = ensure_apt("wrk", "wrk")
    venv = ensure_peers_venv()
    versions = {"wrk": wrk_version(wrk), **peer_versions()}
    dump = build_dir / "dumps" / "all.nq"
    iris = project_iris(build_dir)
    triples = count_lines(dump)
    report.say(f"data: build of {size:,} generated projects ({len(iris):,} project IRIs), {triples:,} quads in {dump}")
    report.say(
        f"load generator: {versions['wrk']}; peers: oxigraph {versions['oxigraph']}, rdflib-endpoint "
        f"{versions['rdflib-endpoint']} (rdflib {versions['rdflib']}) in {venv}"
    )

    sparql_dir = WORK / "sparql"
    oxi_store = sparql_dir / f"oxigraph-{size}"
    load_command = [str(venv / "bin" / "oxigraph"), "load", "--location", str(oxi_store), "--file", str(dump)]
    targets: list[Target] = []
    try:
        port = free_port()
        rdflib_cmd = [
            str(venv / "bin" / "rdflib-endpoint"),
            "serve",
            str(dump),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ]
        targets.append(
            Target(
                "rdflib-endpoint",
                Server("rdflib-endpoint", rdflib_cmd, port, sparql_dir / "rdflib.log").start(),
                "/",
                "",
                [],
            )
        )
        shutil.rmtree(oxi_store, ignore_errors=True)
        loaded = run_measured(load_command, 1800, sparql_dir / "oxigraph-load.log")
        if loaded.returncode != 0:
            raise RuntimeError(f"oxigraph load failed:\n{loaded.output[-2000:]}")
        port = free_port()
        oxi_cmd = [
            str(venv / "bin" / "oxigraph"),
            "serve-read-only",
            "--location",
            str(oxi_store),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",  # no --timeout-s: it starts a thread per query and failed under load (EAGAIN)
        ]
        oxi = Server("oxigraph", oxi_cmd, port, sparql_dir / "oxigraph.log").start()
        targets.insert(
            0, Target("oxigraph", oxi, "/query", "", [f"{shlex.join(load_command)}  ({loaded.seconds:.1f} s)"])
        )
        port = free_port()
        ours_cmd = serve_command(dist_dir(size), port)
        ours = Server("ours", ours_cmd, port, sparql_dir / "ours.log", ready_says=READY).start()
        targets.insert(0, Target("ours", ours, "/sparql", f"&timeout={HEAVY_TIMEOUT}", []))
        probe = query_path("", "ASK { ?s ?p ?o }")
        for target in targets:
            target.server.wait_ready(target.endpoint + probe, timeout=1800)
        _measure_sparql(cfg, report, targets, iris, wrk, sparql_dir / "wrk", size, triples, versions)
    finally:
        for target in targets:
            target.server.stop()


def _measure_sparql(
    cfg: Config,
    report: Report,
    targets: list[Target],
    iris: list[str],
    wrk: str,
    wrk_dir: Path,
    size: int,
    triples: int,
    versions: dict[str, str],
) -> None:
    checks = {t.name: rows_of(t.server.base, query_path(t.endpoint, lookup(iris[0]))) for t in targets}
    log(f"rows for {iris[0]}: {checks}")
    results: dict[str, dict[str, LoadResult]] = {t.name: {} for t in targets}
    heavy_log: dict[str, object] = {}
    fixed_iri = iris[len(iris) // 2]

    failures: dict[str, str] = {}

    def run(target: Target, label: str, paths: list[str], bust: bool = False, seed: int = 1) -> LoadResult:
        name = f"{target.name} {label}"
        try:
            return run_wrk(
                wrk,
                target.server.base,
                paths,
                wrk_dir,
                name,
                accept=RESULTS_JSON,
                seconds=cfg.seconds,
                max_requests=cfg.max_requests,
                bust_cache=bust,
                seed=seed,
            )
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:  # a crashed server must not stop the rest
            failures[name] = f"{error}; server log: {target.server.log_tail(3)}"
            log(f"{name} FAILED: {error}")
            return LoadResult(name, "", 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0)

    for target in targets:  # random first, so that no answer is cached yet
        results[target.name]["random"] = run(target, "random", [query_path(target.endpoint, lookup(i)) for i in iris])
    for target in targets:  # every query text unique: no answer cache (ours, rdflib-endpoint's prepared queries)
        paths = [query_path(target.endpoint, lookup(i)) for i in iris]
        results[target.name]["unique"] = run(target, "unique", paths, bust=True)
    for target in targets:
        results[target.name]["fixed"] = run(target, "fixed", [query_path(target.endpoint, lookup(fixed_iri))])
    for target in targets:  # heavy last for each server; rdflib-endpoint stays blocked, so it is stopped right after
        heavy = HeavyClient(
            target.server.port, query_path(target.endpoint, HEAVY, target.heavy_extra), request_timeout=cfg.seconds + 10
        )
        heavy.start()
        time.sleep(1.0)
        try:
            # Another draw of IRIs than the random run's: the same one would be answered from our cache.
            results[target.name]["heavy"] = run(
                target, "random during heavy", [query_path(target.endpoint, lookup(i)) for i in iris], seed=2
            )
        finally:
            heavy_log[target.name] = heavy.stop()
            target.server.stop()

    report.say("")
    rows: list[list[object]] = []
    for t in targets:
        runs = results[t.name]
        h = runs["heavy"]
        heavy_p99: object = f">{h.max_ms:.0f} ({h.timeouts} timeouts)" if h.timeouts else h.p99_ms
        if h.requests == 0:
            heavy_p99 = f"no answer in {h.seconds:g} s"
        cells: list[object] = [t.name]
        for mode in ("random", "unique", "fixed"):
            cells += [runs[mode].rps, runs[mode].p50_ms, runs[mode].p99_ms]
        rows.append([*cells, h.rps, heavy_p99, sum(x.errors for x in runs.values()), checks[t.name]])
    report.say("req/s, p50 ms, p99 ms per mode: random IRI (cache may hit repeats) | unique query text (no cache)")
    report.say("| fixed IRI (all cached) | random IRI while a heavy query runs")
    modes = [f"{m} {k}" for m in ("random", "unique", "fixed") for k in ("req/s", "p50", "p99")]
    report.table(["server", *modes, "heavy req/s", "p99", "errors", "rows"], rows)
    ours = results["ours"]
    ratios: dict[str, float | None] = {}
    for peer, key in (("rdflib-endpoint", "rdflib"), ("oxigraph", "oxigraph")):
        for mode in ("random", "unique", "fixed"):
            other = results.get(peer, {}).get(mode)
            ratios[f"ours_over_{key}_{mode}"] = ratio(ours[mode].rps, other.rps if other else None)
    ours_heavy = None if ours["heavy"].timeouts or not ours["heavy"].requests else ours["heavy"].p99_ms
    ratios["ours_p99_during_heavy_ms"] = ours_heavy
    report.say("")

    def shown(key: str) -> str:
        return " / ".join(_cell(ratios[f"{key}_{m}"]) for m in ("random", "unique", "fixed"))

    report.table(
        ["ratio", "random / unique / fixed", "target (random)", "verdict"],
        [
            [
                "ours / rdflib-endpoint req/s",
                shown("ours_over_rdflib"),
                ">= 3",
                verdict(ratios["ours_over_rdflib_random"], lambda v: v >= 3),
            ],
            [
                "ours / oxigraph req/s",
                shown("ours_over_oxigraph"),
                ">= 0.5",
                verdict(ratios["ours_over_oxigraph_random"], lambda v: v >= 0.5),
            ],
            [
                "our lookup p99 during the heavy query, ms",
                _cell(ours_heavy),
                "< 50",
                verdict(ours_heavy, lambda v: v < 50) if ours_heavy is not None else "MISSED (timeouts)",
            ],
        ],
    )
    report.say("\nheavy query, looped by a background client during the 'heavy' runs: " + HEAVY)
    for name, outcome in heavy_log.items():
        report.say(f"  {name}: {outcome}")
    for mode_runs in results.values():
        failures.update({r.label: "hit the request cap: req/s understated" for r in mode_runs.values() if r.capped})
    for name, message in failures.items():
        report.say(f"FAILED run {name}: {message}")
    report.say("commands:")
    for t in targets:
        for line in t.setup:
            report.say(f"  {line}")
        report.say(f"  {shlex.join(t.server.command)}")
    report.say(f"  {results['ours']['random'].command}   (script: {len(iris):,} lookup paths, one drawn per request)")
    report.say(f"  lookup: SELECT ?p ?o WHERE {{ <project IRI> ?p ?o }}; fixed IRI: {fixed_iri}")
    per_iri = ratio(float(ours["random"].requests), float(len(iris)))
    report.say(
        f"  random runs draw from {len(iris):,} IRIs: our run sent {per_iri} requests per IRI on average "
        "(above ~1, our answer cache serves repeats)"
    )
    report.say(
        f"  heavy query timeout: ours '&timeout={HEAVY_TIMEOUT}' (kills the worker); oxigraph none (see above); "
        "rdflib-endpoint none; both bounded by wrk -d, server stopped after"
    )
    report.data["sparql"] = {
        "size": size,
        "project_iris": len(iris),
        "quads": triples,
        "versions": versions,
        "rows_check": checks,
        "results": {name: {k: v.as_dict() for k, v in runs.items()} for name, runs in results.items()},
        "heavy_client": heavy_log,
        "failures": failures,
        "ratios": ratios,
        "commands": {t.name: [*t.setup, shlex.join(t.server.command)] for t in targets},
    }


# --------------------------------------------------------------------------------------------------
# Pages


def fetch(base: str, path: str) -> tuple[int, str]:
    request = urllib.request.Request(base + path, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def page_paths(base: str) -> tuple[dict[str, str], str | None]:
    """The pages to load, or a reason to skip: the facet link is read from the list page, not guessed."""
    status_home, _ = fetch(base, "/")
    status_list, listing = fetch(base, "/projects")
    if status_home == 404 or status_list == 404:
        return {}, f"/ answers {status_home} and /projects {status_list}: the pages are not built yet"
    paths = {"home": "/", "list": "/projects"}
    links = [x.replace("&amp;", "&") for x in re.findall(r'href="([^"]*[?&]phase=[^"]*)"', listing)]
    if links:
        facet = urllib.parse.urlsplit(links[0])
        paths["facet"] = f"/projects?{facet.query}"
    paths["search"] = "/projects?q=inspection"
    project = re.search(r'href="[^"]*(/doc/project/[^"?#]+)"', listing)
    paths["project"] = project.group(1) if project else "/doc/project/gen-000001"
    return paths, None


def section_pages(cfg: Config, report: Report, built: dict[int, Path]) -> None:
    report.say("\n== 3. Pages (issue 'Linked Data for people and machines') ==")
    # Probe with the smallest build at hand before making the (slow) page-size builds.
    at_hand = sorted(built) or [n for n in cfg.page_sizes if current_build(n)] or cfg.page_sizes[:1]
    probe_size = at_hand[0]
    if ensure_build(probe_size, cfg, built) is None:
        report.say("skipped: no build could be made")
        return
    with serving(probe_size, "pages-probe") as server:
        _, reason = page_paths(server.base)
    if reason:
        report.say(f"skipped: {reason}")
        report.data["pages"] = {"skipped": reason}
        return
    wrk = ensure_apt("wrk", "wrk")
    results: dict[int, dict[str, LoadResult]] = {}
    statuses: dict[int, dict[str, int]] = {}
    paths: dict[str, str] = {}
    for n in cfg.page_sizes:
        if ensure_build(n, cfg, built) is None:
            report.say(f"no build of {n:,} projects: skipped")
            continue
        with serving(n, f"pages-{n}") as server:
            paths, _ = page_paths(server.base)
            statuses[n] = {name: fetch(server.base, path)[0] for name, path in paths.items()}  # also warms up
            results[n] = {
                name: run_wrk(
                    wrk,
                    server.base,
                    [path],
                    WORK / "pages" / "wrk",
                    f"pages {n} {name}",
                    accept="text/html",
                    seconds=cfg.page_seconds,
                    max_requests=cfg.max_requests,
                )
                for name, path in paths.items()
            }
    names = list(paths)
    rows = [
        [f"{n:,}", *[_page_cell(r[k], statuses[n][k]) if k in r else "-" for k in names]] for n, r in results.items()
    ]
    report.say("req/s / p99 ms (wrk -t2 -c8, one path per run, after one warm-up GET); HTTP status when not 200")
    report.say("paths: " + ", ".join(f"{k}={v}" for k, v in paths.items()))
    report.table(["projects", *names], rows)
    growth: dict[str, float | None] = {}
    if len(results) >= 2:
        small, large = min(results), max(results)
        for page in ("home", "list"):
            growth[page] = ratio(results[large][page].rps, results[small][page].rps)
            report.say(
                f"{page}: req/s {large:,} / {small:,} projects = {growth[page]}  "
                f"({verdict(growth[page], lambda v: v >= 0.67)} at >= 0.67: not slower with more projects)"
            )
    report.data["pages"] = {
        "paths": paths,
        "growth_rps_large_over_small": growth,
        "statuses": {str(n): v for n, v in statuses.items()},
        "results": {str(n): {k: v.as_dict() for k, v in r.items()} for n, r in results.items()},
    }


def _page_cell(result: LoadResult, status: int) -> str:
    text = f"{result.rps:,.0f} / {result.p99_ms:.1f}"
    if status != 200:
        text += f" [{status}]"
    text += " (capped)" if result.capped else ""
    return text + (f" ({result.errors} errors)" if result.errors else "")


class serving:
    """Our server over the build of N projects, ready, stopped on exit."""

    def __init__(self, n: int, name: str) -> None:
        port = free_port()
        command = serve_command(dist_dir(n), port)
        self.server = Server(name, command, port, WORK / "pages" / f"{name}.log", ready_says=READY)

    def __enter__(self) -> Server:
        self.server.start()
        try:
            self.server.wait_ready("/healthz", timeout=300)
        except BaseException:
            self.server.stop()
            raise
        return self.server

    def __exit__(self, *_: object) -> None:
        self.server.stop()


# --------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> tuple[Config, Path]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,10000,50000", help="projects per generated build (comma-separated)")
    parser.add_argument("--page-sizes", default="2000,50000", help="builds the pages are measured on")
    parser.add_argument("--quick", action="store_true", help="small sizes and short runs: a smoke check")
    parser.add_argument("--only", choices=("build", "sparql", "pages"), help="run one section")
    parser.add_argument("--json", type=Path, default=OUT / "results.json", help="machine-readable results")
    parser.add_argument("--seconds", type=float, default=None, help="duration of each SPARQL load run")
    parser.add_argument("--build-timeout", type=float, default=3600, help="seconds after which a build is killed")
    parser.add_argument("--fresh", action="store_true", help="rebuild for sections 2-3 even if a build exists")
    args = parser.parse_args(argv)
    sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    page_sizes = sorted({int(x) for x in args.page_sizes.split(",") if x.strip()})
    if args.quick:
        sizes = [n for n in sizes if n <= 300] or [50, 200]
        page_sizes = [n for n in page_sizes if n <= 300] or sizes
    seconds = args.seconds or (3.0 if args.quick else 15.0)
    cfg = Config(
        sizes=sizes,
        page_sizes=page_sizes,
        seconds=seconds,
        page_seconds=min(seconds, 3.0 if args.quick else 10.0),
        max_requests=200_000 if args.quick else 1_000_000,
        build_timeout=600 if args.quick else args.build_timeout,
        fresh=args.fresh,
        only=args.only,
    )
    return cfg, args.json


def main(argv: Sequence[str] | None = None) -> int:
    cfg, json_path = parse_args(argv)
    install_cleanup()
    OUT.mkdir(exist_ok=True)
    report = Report()
    load_avg = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    report.say(
        f"airegister benchmark, {time.strftime('%Y-%m-%d %H:%M')}: {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {load_avg}"
    )
    report.say(f"sizes {cfg.sizes}, page sizes {cfg.page_sizes}, {cfg.seconds:g} s per SPARQL run")
    report.data["config"] = {**cfg.__dict__, "load_average": os.getloadavg(), "cpus": os.cpu_count()}
    built: dict[int, Path] = {}
    sections = {"build": section_build, "sparql": section_sparql, "pages": section_pages}
    failed = False
    errors: dict[str, str] = {}
    report.data["errors"] = errors
    try:
        for name, section in sections.items():
            if cfg.only in (None, name):
                try:
                    section(cfg, report, built)
                except (RuntimeError, OSError, ValueError, KeyError, subprocess.SubprocessError) as error:
                    failed = True
                    report.say(f"section {name} FAILED: {error}")
                    errors[name] = str(error)
    finally:
        stop_all()
        (OUT / "report.txt").write_text("\n".join(report.lines) + "\n")
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report.data, indent=2, default=str) + "\n")
        log(f"report: {OUT / 'report.txt'}; JSON: {json_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
