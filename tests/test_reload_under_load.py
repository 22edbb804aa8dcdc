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
from test_reload import said, until

pytestmark = pytest.mark.services

IRI = f"https://w3id.org/be-ai-register/id/project/{PROJECT}"
# Each answer is sorted into a key: "<build> <publication in the body>", or a key naming what went wrong.
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
  local key
  if status < 200 or status >= 300 then
    key = "status " .. status
  elseif headers["etag"] and not headers["etag"]:find(build, 1, true) then
    key = "etag " .. headers["etag"] .. " from " .. build
  else
    local told = body:match('"build":"([^"]+)"')
    if told then
      key = build .. (told == build and " healthz" or (" healthz-says " .. told))
    else
      key = build .. " " .. (body:match("%(publication (%d+)%)") or "unmarked")
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
    ("/sparql?query=" + quote(f"SELECT ?t WHERE {{ <{IRI}> <{DCTERMS.title}> ?t }}"), "application/json"),
]


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
            [wrk, "-t2", "-c8", "-d600s", "-s", str(_lua(tmp_path)), url.rstrip("/")],
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
    assert sum(seen.values()) > 1000, report


def _consistent(key: str, publications: dict[str, int]) -> bool:
    build, _, rest = key.partition(" ")
    if build not in publications:
        return False
    return rest == "healthz" or rest == str(publications[build])
