"""Below the engine: capped body reads (memory stays flat under huge, endless and compressed replies, from
any host a server can name), proxies (plain http never goes through one) and a call's interrupt.

Memory cases run in a child process with an address-space limit, and report its peak RSS.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from typing import Any

import httpcore
import pytest
from fal_assets import FalAssets
from fal_assets._core.attempt import AttemptScope, InAttempt, Interrupt, Interrupted
from fal_assets._core.sockets import _BoundedBackend
from fal_assets.testing import FakeFal

from tests.hostile import Behaviour, compressed, endless, gzip_bomb, reply, routes, serving, sized

MiB = 1024 * 1024
ADDRESS_SPACE = 1536 * MiB  # a runaway read dies here instead of taking the machine's memory
MAX_GROWTH = 48 * MiB  # the 4 MiB cap, a decoding window and a network chunk, with room to spare

_CHILD = r"""
import json, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
mode, origin, retries = sys.argv[2], sys.argv[3], int(sys.argv[4])
from fal_assets import FalAssets

def peak() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM")

client = FalAssets(api_key="k", base_url=origin + "/v1", storage_base_url=origin, fal_hosts=["127.0.0.1"],
                   max_retries=retries, sleep=lambda seconds: None)
client.files  # load the upload engine before measuring
before = peak()
error, inner = "none", []
try:
    if mode == "api":
        client.characters.get("c1")
    else:
        client.files.upload(b"\x89PNG memory check")
except Exception as exc:
    error = type(exc).__name__
    inner = [type(e).__name__ for e in getattr(exc, "errors", [])]
print(json.dumps({"before": before, "after": peak(), "error": error, "inner": inner}))
"""


def _storage_token_then(attack: Behaviour) -> Behaviour:
    """A good upload token whose CDN is this server, then `attack` on every other request."""

    def token(conn: Any, request: Any) -> None:
        host = request.headers["host"]
        reply(200, {"token": "t", "token_type": "Bearer", "base_url": f"http://{host}"})(conn, request)

    return routes({"/storage/auth/token": token}, default=attack)


CASES: dict[str, tuple[Behaviour, str, int, str, list[str]]] = {
    "json-200-MiB": (sized(200 * MiB), "api", 0, "ResponseTooLargeError", []),
    "endless-chunked": (endless(), "api", 0, "ResponseTooLargeError", []),
    "gzip-1-MiB-to-1-GiB": (compressed(200, gzip_bomb()), "api", 0, "ResponseTooLargeError", []),
    "gzip-bomb-on-retried-503": (compressed(503, gzip_bomb()), "api", 2, "InternalServerError", []),
    "token-host-bomb": (compressed(200, gzip_bomb()), "upload", 0, "UploadError", ["ResponseTooLargeError"]),
    "cdn-and-presigned-bomb": (
        _storage_token_then(compressed(200, gzip_bomb())),
        "upload",
        0,
        "UploadError",
        ["ResponseTooLargeError"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_huge_replies_are_refused_with_flat_memory(case: str) -> None:
    behaviour, mode, retries, expected, inner = CASES[case]
    with serving(behaviour) as server:
        args = [str(ADDRESS_SPACE), mode, server.origin, str(retries)]
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, *args], capture_output=True, text=True, timeout=30, check=False
        )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert (result["error"], result["inner"]) == (expected, inner)
    growth = result["after"] - result["before"]
    print(f"{case}: peak RSS grew by {growth / MiB:.1f} MiB")
    assert growth < MAX_GROWTH


def test_plain_http_never_goes_through_a_proxy(monkeypatch: pytest.MonkeyPatch, fal_fake: FakeFal) -> None:
    # A loopback API with a real storage host: the client trusts the environment for https, and the
    # plaintext API request (key included) must still go straight to the API, never to the proxy.
    with serving(reply(502, b"")) as proxy:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.setenv(name, proxy.origin)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        settings = {**fal_fake.client_kwargs(), "storage_base_url": "https://rest.fal.ai", "max_retries": 0}
        with FalAssets(**settings) as client:
            assert client.characters.list() == []
        assert proxy.requests == []


def test_https_goes_through_the_environment_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(reply(502, b"")) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.origin)
        with FalAssets(api_key="k", max_retries=0) as client, pytest.raises(Exception):
            client.characters.get("c1", timeout=2)
        (connect,) = proxy.requests
        assert (connect.method, connect.target) == ("CONNECT", "api.fal.ai:443")
        assert "authorization" not in connect.headers  # the key travels inside the tunnel only


# -- a call's interrupt (its Event is made by the first wait) ----------------------------------------------


def test_an_interrupt_set_before_the_wait_ends_it_at_once() -> None:
    interrupt = Interrupt()
    interrupt.set("the client was closed")
    started = time.monotonic()
    with pytest.raises(Interrupted, match="the client was closed"):
        interrupt.wait(30)
    assert time.monotonic() - started < 1


def test_an_interrupt_set_during_the_wait_ends_it() -> None:
    interrupt = Interrupt()
    interrupt.wait(0.01)  # a wait that runs out is no interrupt
    threading.Timer(0.2, interrupt.set, args=("stop",)).start()
    started = time.monotonic()
    with pytest.raises(Interrupted, match="stop"):
        interrupt.wait(30)
    assert time.monotonic() - started < 5


def test_an_interrupt_shuts_down_the_sockets_in_use_and_refuses_new_ones() -> None:
    interrupt = Interrupt()
    ours, theirs = socket.socketpair()
    other, _peer = socket.socketpair()
    with ours, theirs, other, _peer:
        interrupt.register(ours)
        interrupt.register(other)
        interrupt.unregister(other)  # done with it: a later interrupt must not touch it
        interrupt.set("stop")
        assert ours.recv(1) == b""  # shut down: a blocked read would return at once
        other.setblocking(False)
        with pytest.raises(BlockingIOError):
            other.recv(1)  # still open, nothing to read
        with pytest.raises(Interrupted):
            interrupt.register(other)
        with pytest.raises(Interrupted):
            interrupt.check()


def test_an_attempt_holds_its_socket_from_first_use_until_it_ends() -> None:
    """A socket joins the call's interrupt at the attempt's first read or write and leaves it when the
    attempt ends: an interrupt meanwhile shuts it down (between operations too), one after the attempt no
    longer reaches it (its connection may serve another call by then)."""
    backend = _BoundedBackend(httpcore.SyncBackend())  # what our clients' connections are made with
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        stream = backend.connect_tcp("127.0.0.1", port, timeout=5)
        peer, _ = listener.accept()
        later = backend.connect_tcp("127.0.0.1", port, timeout=5)
        later_peer, _ = listener.accept()
        with peer, later_peer:
            scope = AttemptScope(None, Interrupt())
            with InAttempt(scope):
                stream.write(b"request", 1.0)
                assert peer.recv(16) == b"request"
                scope.interrupt.set("stop")  # between the request and the reply
                assert peer.recv(1) == b""  # shut down
                with pytest.raises(Interrupted):
                    stream.read(16, 1.0)

            done = AttemptScope(None, Interrupt())
            with InAttempt(done):
                later.write(b"one", 1.0)
            done.interrupt.set("too late")  # the attempt is over: its socket is not touched
            later.write(b"two", 1.0)  # outside any attempt, as another call's would be
            assert later_peer.recv(16) == b"onetwo"
        stream.close()
        later.close()
