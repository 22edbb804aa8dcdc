"""Query workers without a route to the network: the second gate for SERVICE.

pyoxigraph evaluates `SERVICE <http://...>` by making the HTTP request itself. The SPARQL handler
refuses every SERVICE endpoint off the allow-list, reading them with a lexer (rdf/sparql_text.py); a
query that slips past that lexer still reaches no network from a worker that lives in a network
namespace of its own, whose only interface is its loopback, and that one down. The workers speak to
the server over socket pairs, which no network namespace affects. Queries calling allowed endpoints
run in a separate class of worker that keeps the network (store/oxigraph.py).

Python 3.11 has no `os.unshare`: the one call is made through ctypes (a package for one syscall
would be a dependency for three lines).
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket
import subprocess
import sys

_CLONE_NEWNET = 0x40000000  # <sched.h>
ISOLATED = "isolated"  # what a worker of the ordinary class says once it is in its own namespace
NETWORKED = "networked"  # what a worker of the federated class says: it keeps the network on purpose

_REASONS = {
    errno.EPERM: "the system refused them a network namespace of their own (that takes root or CAP_SYS_ADMIN, "
    "and a container's seccomp profile may forbid it)",
    errno.EINVAL: "the kernel refused them a network namespace of their own (built without them, or a seccomp "
    "filter forbids it)",
    errno.ENOSYS: "the kernel refused them a network namespace of their own (built without them, or a seccomp "
    "filter forbids it)",
    errno.ENOSPC: "the system's limit on network namespaces is reached (user.max_net_namespaces)",
    errno.EUSERS: "the system's limit on network namespaces is reached (user.max_net_namespaces)",
}


def isolate() -> str:
    """Move the calling thread, and the threads it starts from now on, into a new network namespace.

    Call it first thing in a worker, before it starts a thread: a thread started earlier keeps the old
    namespace. Returns ISOLATED, or why the worker keeps the network (it then runs as without this gate).
    """
    unshare = getattr(ctypes.CDLL(None, use_errno=True), "unshare", None)
    if unshare is None:
        return "this system has no network namespaces (they are Linux's)"
    if unshare(_CLONE_NEWNET) != 0:
        code = ctypes.get_errno()
        return _REASONS.get(code, f"the system refused them a network namespace of their own ({os.strerror(code)})")
    # A fresh namespace's loopback is down: seen from here, even this machine is unreachable. Anything
    # else means the call did not do what it says (a sandbox that fakes it), and the gate is not there.
    try:
        socket.create_connection(("127.0.0.1", 9), timeout=1).close()
    except OSError as error:
        if error.errno == errno.ENETUNREACH:
            return ISOLATED
    return "a network namespace was asked for, but the machine's loopback still answered in it"


def probe() -> str:
    """What a worker started now would say (ISOLATED or the reason), found by a throw-away process that
    makes the same call: the workers inherit the server's privileges, and so does it."""
    try:
        # -P: the current folder is not put on sys.path, so nothing there stands in for our module.
        command = [sys.executable, "-P", "-m", __name__]
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        return f"the check could not run ({error})"
    return done.stdout.strip() or f"the check could not run (exit code {done.returncode})"


def startup_line(state: str, allowlist: tuple[str, ...]) -> str:
    """What `airegister serve` tells the operator about the gate, in one line."""
    if state != ISOLATED:
        return (
            f"network isolation of query workers: off, because {state}; they share this machine's network, "
            "and only the check of each query's SERVICE endpoints keeps queries off it"
        )
    if not allowlist:
        federated = "no SERVICE endpoint is allowed"
    else:
        endpoints = f"{len(allowlist)} allowed SERVICE endpoint{'s' if len(allowlist) > 1 else ''}"
        federated = f"queries calling the {endpoints} run in a separate worker that has the network"
    return f"network isolation of query workers: on (each in a network namespace of its own); {federated}"


if __name__ == "__main__":  # the probe's throw-away process
    print(isolate())
