"""`_core/sockets.py`: the socket backend under our clients' httpcore pool honours the attempt in progress.

Every connect, read and write is clamped to the current attempt's end (`AttemptScope.end`), whatever
timeout httpcore asks for, so neither a silent nor a trickling peer can keep an attempt alive past it; an
attempt already over refuses to touch the network. A socket joins the call's `Interrupt` at its first read
or write of the attempt (once) and leaves it with `AttemptScope.release()`: `Interrupt.set()` from another
thread wakes a blocked read or write at once, and a connect in progress watches the interrupt too. Outside
any attempt the backend's own timeouts apply. Failures are httpcore's typed errors (httpx's through
`BoundedTransport`), and no socket outlives its stream or a failed connect. The module has no async side
(async clients use httpx's own transport, bounded by `asyncio.timeout` in the engine).

Every peer is a real socket on 127.0.0.1; every wait is bounded (a 5 s timeout of httpcore's own, joins
with a timeout), so a broken promise fails its test instead of hanging. Timing asserts are loose bounds.
"""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpcore
import httpx
import pytest
from fal_assets._core.attempt import AttemptScope, InAttempt, Interrupt, Interrupted
from fal_assets._core.sockets import BoundedTransport, _BoundedBackend

BACKEND = _BoundedBackend(httpcore.SyncBackend())  # what our clients' connections are made with
DEADLINE = 0.2  # the attempt's length in the tests below
BOUND = 2.0  # what "promptly" means here: generous, the machine is shared
OWN_TIMEOUT = 5.0  # httpcore's own timeout: a regression runs into it and fails the BOUND
CHUNK = b"x" * (1024 * 1024)
SMALL_BUFFERS = [(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)]


def attempt(seconds: float | None) -> AttemptScope:
    """An attempt ending `seconds` from now (None: no end), with its own interrupt."""
    return AttemptScope(None if seconds is None else time.monotonic() + seconds, Interrupt())


@contextlib.contextmanager
def connected(
    options: list[tuple[int, int, int]] | None = None,
) -> Iterator[tuple[httpcore.NetworkStream, socket.socket]]:
    """A stream made by the bounded backend (outside any attempt) and the peer's end of it, which never
    sends nor reads unless the test says so."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stream = BACKEND.connect_tcp(
            "127.0.0.1", listener.getsockname()[1], timeout=OWN_TIMEOUT, socket_options=options
        )
        peer, _ = listener.accept()
        peer.settimeout(OWN_TIMEOUT)
        try:
            yield stream, peer
        finally:
            stream.close()
            peer.close()


@contextlib.contextmanager
def full_backlog() -> Iterator[int]:
    """A port whose accept queue is full: a new connect there stays in progress (its SYN is dropped)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(3)]
        try:
            for filler in fillers:
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", port))
            time.sleep(0.05)
            yield port
        finally:
            for filler in fillers:
                filler.close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class Worker:
    """`action` in its own thread, inside `scope`; what it returned or raised, once joined."""

    def __init__(self, scope: AttemptScope, action: Callable[[], object]) -> None:
        self.result: object = None
        self.error: BaseException | None = None
        self.took = 0.0

        def run() -> None:
            started = time.monotonic()
            try:
                with InAttempt(scope):
                    self.result = action()
            except BaseException as exc:
                self.error = exc
            self.took = time.monotonic() - started

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def join(self, timeout: float = OWN_TIMEOUT + 3) -> None:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the socket operation is still blocked"


def wait_until_in_use(scope: AttemptScope) -> None:
    """Until the worker's socket has joined the attempt (it then blocks right after), plus a moment."""
    limit = time.monotonic() + BOUND
    while not scope.sockets:
        assert time.monotonic() < limit, "the socket never joined the attempt"
        time.sleep(0.01)
    time.sleep(0.1)


def read_to_the_end(stream: httpcore.NetworkStream, received: bytearray) -> None:
    """Read until the peer closes, each read allowed a second of its own."""
    while chunk := stream.read(1024, 1.0):
        received += chunk


def write_forever(stream: httpcore.NetworkStream) -> None:
    for _ in range(256):  # far more than the socket buffers hold
        stream.write(CHUNK, OWN_TIMEOUT)


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


# -- the attempt's end bounds every operation -------------------------------------------------------------


def test_a_read_from_a_silent_peer_ends_at_the_attempts_end() -> None:
    with connected() as (stream, _peer):
        started = time.monotonic()
        with InAttempt(attempt(DEADLINE)), pytest.raises(httpcore.ReadTimeout):
            stream.read(1024, OWN_TIMEOUT)
        assert DEADLINE - 0.1 < time.monotonic() - started < BOUND


def test_a_read_without_a_timeout_of_its_own_still_ends_at_the_attempts_end() -> None:
    with connected() as (stream, peer):
        worker = Worker(attempt(DEADLINE), lambda: stream.read(1024, None))
        worker.join(BOUND)
        peer.shutdown(socket.SHUT_RDWR)  # (a regression left it blocked: unblock it before failing)
        assert isinstance(worker.error, httpcore.ReadTimeout)
        assert worker.took < BOUND


def test_a_trickling_peer_cannot_extend_an_attempt_past_its_end() -> None:
    stop = threading.Event()

    def trickle(peer: socket.socket) -> None:
        # One byte every 20 ms for up to 4 s: each read returns well within its own timeout.
        limit = time.monotonic() + 4
        with contextlib.suppress(OSError):
            while not stop.is_set() and time.monotonic() < limit:
                peer.sendall(b".")
                time.sleep(0.02)

    with connected() as (stream, peer):
        sender = threading.Thread(target=trickle, args=(peer,), daemon=True)
        sender.start()
        received = bytearray()
        started = time.monotonic()
        try:
            with InAttempt(attempt(DEADLINE)), pytest.raises(httpcore.ReadTimeout):
                read_to_the_end(stream, received)
        finally:
            stop.set()
            sender.join(5)
        assert received  # the peer did send, slowly
        assert time.monotonic() - started < BOUND


def test_a_write_to_a_peer_that_never_reads_ends_at_the_attempts_end() -> None:
    with connected(SMALL_BUFFERS) as (stream, _peer):
        started = time.monotonic()
        with InAttempt(attempt(DEADLINE)), pytest.raises(httpcore.WriteTimeout):
            write_forever(stream)
        assert DEADLINE - 0.1 < time.monotonic() - started < BOUND


def test_a_connect_that_stays_in_progress_ends_at_the_attempts_end() -> None:
    with full_backlog() as port:
        started = time.monotonic()
        with InAttempt(attempt(DEADLINE)), pytest.raises(httpcore.ConnectTimeout):
            BACKEND.connect_tcp("127.0.0.1", port, timeout=OWN_TIMEOUT)
        assert time.monotonic() - started < BOUND


def test_an_attempt_already_over_touches_nothing() -> None:
    with connected() as (stream, peer), InAttempt(attempt(-1)):
        with pytest.raises(httpcore.WriteTimeout, match="ran out of time"):
            stream.write(b"request", OWN_TIMEOUT)
        with pytest.raises(httpcore.ReadTimeout, match="ran out of time"):
            stream.read(1024, OWN_TIMEOUT)
        with pytest.raises(httpcore.ConnectTimeout, match="ran out of time"):
            BACKEND.connect_tcp("127.0.0.1", peer.getsockname()[1], timeout=OWN_TIMEOUT)
        peer.setblocking(False)
        with pytest.raises(BlockingIOError):
            peer.recv(16)  # nothing was sent


# -- outside an attempt, and an attempt without an end ----------------------------------------------------


def test_outside_any_attempt_the_backends_own_timeouts_apply() -> None:
    with connected() as (stream, peer):
        stream.write(b"ping", OWN_TIMEOUT)
        assert peer.recv(16) == b"ping"
        started = time.monotonic()
        with pytest.raises(httpcore.ReadTimeout):
            stream.read(1024, DEADLINE)
        assert DEADLINE - 0.1 < time.monotonic() - started < BOUND


def test_an_attempt_without_an_end_keeps_the_callers_timeout() -> None:
    scope = attempt(None)
    with connected() as (stream, _peer):
        started = time.monotonic()
        with InAttempt(scope):
            with pytest.raises(httpcore.ReadTimeout):
                stream.read(1024, DEADLINE)
            assert scope.sockets == [stream.get_extra_info("socket")]  # still watched by the interrupt
        assert DEADLINE - 0.1 < time.monotonic() - started < BOUND


# -- the call's interrupt -----------------------------------------------------------------------------------


def test_a_socket_joins_the_interrupt_at_first_use_once_and_leaves_it_on_release() -> None:
    scope = attempt(None)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        with InAttempt(scope):
            stream = BACKEND.connect_tcp("127.0.0.1", listener.getsockname()[1], timeout=OWN_TIMEOUT)
            assert scope.sockets == []  # connected, not yet used
            peer, _ = listener.accept()
            peer.settimeout(OWN_TIMEOUT)
            stream.write(b"one", OWN_TIMEOUT)
            peer.sendall(b"reply")
            assert stream.read(16, OWN_TIMEOUT) == b"reply"
            stream.write(b"two", OWN_TIMEOUT)
            assert scope.sockets == [stream.get_extra_info("socket")]  # once, not per operation
        assert scope.sockets == []  # the attempt is over: released
        with peer, contextlib.closing(stream):
            scope.interrupt.set("too late")  # no longer reaches the socket (it may serve another call)
            stream.write(b"three", OWN_TIMEOUT)
            assert peer.recv(64) == b"onetwothree"


def test_an_interrupt_wakes_a_blocked_read_and_the_next_operation_says_interrupted() -> None:
    scope = attempt(30)
    with connected() as (stream, peer):
        worker = Worker(scope, lambda: stream.read(1024, OWN_TIMEOUT))
        wait_until_in_use(scope)
        woken = time.monotonic()
        scope.interrupt.set("the client was closed")
        worker.join()
        assert time.monotonic() - woken < BOUND
        assert (worker.error, worker.result) == (None, b"")  # shut down: the read ends at once, empty
        assert peer.recv(16) == b""  # the connection is gone for the peer too
        with InAttempt(scope), pytest.raises(Interrupted, match="the client was closed"):
            stream.read(1024, OWN_TIMEOUT)


def test_an_interrupt_wakes_a_blocked_write() -> None:
    scope = attempt(30)
    with connected(SMALL_BUFFERS) as (stream, _peer):
        worker = Worker(scope, lambda: write_forever(stream))
        wait_until_in_use(scope)
        woken = time.monotonic()
        scope.interrupt.set("the client was closed")
        worker.join()
        assert time.monotonic() - woken < BOUND
        assert isinstance(worker.error, httpcore.WriteError | Interrupted)  # typed, not a timeout
        with InAttempt(scope), pytest.raises(Interrupted, match="the client was closed"):
            stream.write(b"more", OWN_TIMEOUT)


def test_an_interrupt_wakes_a_connect_in_progress() -> None:
    scope = attempt(30)
    with full_backlog() as port:
        worker = Worker(scope, lambda: BACKEND.connect_tcp("127.0.0.1", port, timeout=OWN_TIMEOUT))
        time.sleep(0.2)
        woken = time.monotonic()
        scope.interrupt.set("the client was closed")
        worker.join()
        assert time.monotonic() - woken < BOUND
        assert isinstance(worker.error, Interrupted) and "the client was closed" in str(worker.error)


def test_an_interrupt_wakes_a_tls_handshake_in_progress() -> None:
    # A server that accepts the connection and never speaks TLS: the handshake waits for its reply.
    scope = attempt(30)
    context = ssl.create_default_context()
    before = open_descriptors()
    with connected() as (stream, _peer):
        worker = Worker(scope, lambda: stream.start_tls(context, "localhost", timeout=OWN_TIMEOUT))
        time.sleep(0.2)
        woken = time.monotonic()
        scope.interrupt.set("the client was closed")
        worker.join()
        assert time.monotonic() - woken < BOUND
        assert isinstance(worker.error, httpcore.ConnectError | Interrupted), worker.error  # not a timeout
        assert scope.sockets == []  # the handshake's descriptor left the interrupt with it
    assert open_descriptors() == before


def test_an_interrupted_call_opens_no_connection_and_sends_nothing() -> None:
    scope = attempt(30)
    scope.interrupt.set("interrupted")
    with connected() as (stream, peer), socket.create_server(("127.0.0.1", 0)) as listener:
        with InAttempt(scope):
            with pytest.raises(Interrupted):
                BACKEND.connect_tcp("127.0.0.1", listener.getsockname()[1], timeout=OWN_TIMEOUT)
            with pytest.raises(Interrupted):  # refused, were it tried
                BACKEND.connect_tcp("127.0.0.1", closed_port(), timeout=OWN_TIMEOUT)
            with pytest.raises(Interrupted):
                stream.write(b"request", OWN_TIMEOUT)
            with pytest.raises(Interrupted):
                stream.read(1024, OWN_TIMEOUT)
        assert scope.sockets == []
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # no connection was even attempted
        peer.setblocking(False)
        with pytest.raises(BlockingIOError):
            peer.recv(16)


# -- connect failures, readiness and descriptors ------------------------------------------------------------


def test_a_connect_to_a_closed_port_fails_typed_and_fast() -> None:
    port = closed_port()
    started = time.monotonic()
    with InAttempt(attempt(30)), pytest.raises(httpcore.ConnectError):
        BACKEND.connect_tcp("127.0.0.1", port, timeout=OWN_TIMEOUT)
    with pytest.raises(httpcore.ConnectError):
        BACKEND.connect_tcp("127.0.0.1", port, timeout=OWN_TIMEOUT)  # outside an attempt alike
    assert time.monotonic() - started < BOUND


def test_a_pooled_connection_is_readable_once_the_peer_closes_it() -> None:
    with connected() as (stream, peer):
        assert stream.get_extra_info("is_readable") is False  # idle: fit for reuse
        assert stream.get_extra_info("server_addr") == peer.getsockname()
        assert stream.get_extra_info("ssl_object") is None
        peer.close()
        limit = time.monotonic() + BOUND
        while not stream.get_extra_info("is_readable"):
            assert time.monotonic() < limit
            time.sleep(0.01)
        stream.close()
        assert stream.get_extra_info("is_readable") is True  # closed: never reused


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_no_socket_outlives_its_stream_or_a_failed_connect() -> None:
    before = open_descriptors()
    errors: list[pytest.ExceptionInfo[Exception]] = []  # held: their frames must not keep a socket open
    for _ in range(2):
        with connected() as (stream, _peer), InAttempt(attempt(0.05)), pytest.raises(httpcore.ReadTimeout):
            stream.read(1024, OWN_TIMEOUT)
        assert stream.get_extra_info("socket").fileno() == -1  # closed with its stream
        with pytest.raises(httpcore.ConnectError) as refused:
            BACKEND.connect_tcp("127.0.0.1", closed_port(), timeout=OWN_TIMEOUT)
        errors.append(refused)
        with full_backlog() as port:
            with InAttempt(attempt(0.05)), pytest.raises(httpcore.ConnectTimeout) as timed_out:
                BACKEND.connect_tcp("127.0.0.1", port, timeout=OWN_TIMEOUT)
            errors.append(timed_out)
            interrupted = attempt(30)
            threading.Timer(0.05, interrupted.interrupt.set, args=("stop",)).start()  # mid-connect
            with InAttempt(interrupted), pytest.raises(Interrupted) as stopped:
                BACKEND.connect_tcp("127.0.0.1", port, timeout=OWN_TIMEOUT)
            errors.append(stopped)
    assert open_descriptors() <= before
    assert len(errors) == 6


# -- through httpx: BoundedTransport ------------------------------------------------------------------------


def transport() -> BoundedTransport:
    return BoundedTransport(ssl_context=ssl.create_default_context(), limits=httpx.Limits(max_connections=2))


def test_a_request_to_a_silent_server_ends_at_the_attempts_end_as_httpx_timeout() -> None:
    # A listener that never accepts: the kernel completes the handshake, nobody ever answers.
    with socket.create_server(("127.0.0.1", 0)) as listener, httpx.Client(transport=transport()) as client:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        started = time.monotonic()
        with InAttempt(attempt(DEADLINE)), pytest.raises(httpx.ReadTimeout):
            client.get(url, timeout=OWN_TIMEOUT)
        assert time.monotonic() - started < BOUND
        with pytest.raises(httpx.ConnectError):
            client.get(f"http://127.0.0.1:{closed_port()}/", timeout=OWN_TIMEOUT)


def test_only_http_proxies_are_accepted() -> None:
    with pytest.raises(ValueError, match="only http"):
        BoundedTransport(
            ssl_context=ssl.create_default_context(), limits=httpx.Limits(), proxy="socks5://h:1"
        )
