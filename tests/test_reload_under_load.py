"""Three publications and three SIGHUPs under wrk: no request fails, and every answer comes from one
build, never a mix (the build each answer names is the build whose content it carries)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from publications import PROJECT, content_root, publish
from rdflib.namespace import DCTERMS
from server import running_server
from test_reload import held_by_a_server, said, until

pytestmark = pytest.mark.services

IRI = f"https://w3id.org/be-ai-register/id/project/{PROJECT}"
QUERY = quote(f"SELECT ?t WHERE {{ <{IRI}> <{DCTERMS.title}> ?t }}")
# Each answer is sorted into a key: "<build> <kind of answer> <publication in its body>", or one naming
# what went wrong. The kind is the media type: wrk does not say which request an answer is for.
LUA = r"""
local paths = {PATHS}
local accept = {ACCEPTS}
local next_path = 0
seen = {}

request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path], {["Accept"] = accept[next_path]})
end

response = function(status, headers, body)
  local build = headers["x-build"] or "no-build"
  local kind = (headers["content-type"] or "none"):match("^[^;]+")
  local key
  if status < 200 or status >= 300 then
    key = "status " .. status
  elseif headers["etag"] and not headers["etag"]:find(build, 1, true) then
    key = "etag " .. headers["etag"] .. " from " .. build
  else
    local told = body:match('"build":"([^"]+)"')
    if told then
      key = build .. " healthz " .. (told == build and "same" or ("says-" .. told))
    else
      key = build .. " " .. kind .. " " .. (body:match("%(publication (%d+)%)") or "unmarked")
    end
  end
  seen[key] = (seen[key] or 0) + 1
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("ERRORS connect=%d read=%d write=%d timeout=%d status=%d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("seen")) do io.write("SEEN " .. key .. "\t" .. count .. "\n") end
  end
end
"""
PATHS = [
    ("/healthz", "application/json"),
    (f"/doc/project/{PROJECT}.ttl", "text/turtle"),
    (f"/doc/project/{PROJECT}", "text/html"),
    ("/projects?q=kortrijk", "text/html"),
    (f"/sparql?query={QUERY}", "application/sparql-results+json"),  # answered by the HTTP protocol itself
    (f"/sparql?query={QUERY}", "text/html"),  # read there, then handed on to the application
]
KINDS = {"text/turtle", "text/html", "application/sparql-results+json"}


@pytest.fixture(scope="module")
def wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        why = "wrk is not installed (`make test-services` installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(why)
        pytest.skip(why)
    return found


def _lua(tmp_path: Path) -> Path:
    script = tmp_path / "reload.lua"
    listed = ", ".join(f'"{path}"' for path, _ in PATHS)
    accepts = ", ".join(f'"{accept}"' for _, accept in PATHS)
    script.write_text(LUA.replace("{PATHS}", "{" + listed + "}").replace("{ACCEPTS}", "{" + accepts + "}"))
    return script


def test_three_publications_under_load_fail_no_request_and_mix_no_builds(
    wrk: str, repo_root: Path, tmp_path: Path
) -> None:
    root = content_root(repo_root, tmp_path / "content")
    dist = tmp_path / "dist"
    publications = {publish(root, dist, 1).name: 1}
    output: list[str] = []
    started: list[subprocess.Popen[bytes]] = []
    with running_server(dist, env={"AIREGISTER_PROCESSES": "2"}, output=output, started=started) as url:
        load = subprocess.Popen(
            [wrk, "-t2", "-c8", "-d600s", "--timeout", "20s", "-s", str(_lua(tmp_path)), url.rstrip("/")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            for number in (2, 3, 4):
                build = publish(root, dist, number)
                publications[build.name] = number
                started[0].send_signal(signal.SIGHUP)
                until(lambda new=build.name: said(output, f"now serving build {new}") == 2, "both processes switched")
            time.sleep(2)  # the last build under load too
        finally:
            load.send_signal(signal.SIGINT)  # wrk stops, then reports
            report, _ = load.communicate(timeout=60)
        last_build = dist / "builds" / max(publications, key=publications.__getitem__)
        time.sleep(1)
        held = [build.name for build in (dist / "builds").iterdir() if build != last_build and held_by_a_server(build)]
    errors = re.search(r"^ERRORS (.*)$", report, re.MULTILINE)
    assert errors is not None, report
    assert errors.group(1) == "connect=0 read=0 write=0 timeout=0 status=0", report
    seen: Counter[str] = Counter()
    for key, count in re.findall(r"^SEEN (.*)\t(\d+)$", report, re.MULTILINE):
        seen[key] += int(count)
    wrong = [key for key in seen if not _consistent(key, publications)]
    assert not wrong, f"answers that mix builds or failed: {wrong}"
    answered = {key.split(" ")[0] for key in seen}
    assert answered == set(publications), f"answers came from {answered}, publications were {publications}"
    last = max(publications, key=publications.__getitem__)
    assert {key.split(" ")[1] for key in seen if key.startswith(last + " ")} == KINDS | {"healthz"}, (
        "every kind of answer came from the last build too"
    )
    assert sum(seen.values()) > 1000, report
    assert not held, f"builds still held by the server once their requests had ended: {held}"


def _consistent(key: str, publications: dict[str, int]) -> bool:
    build, kind, marker = key.split(" ", 2)
    if build not in publications:
        return False
    if kind == "healthz":
        return marker == "same"
    return kind in KINDS and marker == str(publications[build])
