"""The served mode: a real HTTP/1.1 server on 127.0.0.1 in background threads.

Keep-alive connections each hold a handler thread blocked on the next request line; `close()` shuts those
sockets down so that stopping leaves no thread or socket behind.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from ._app import App, logger
from ._common import ApiError, Reply, RequestHead, error_reply

_CHUNK = 64 * 1024


class _BadRequest(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without this, delayed ACKs add ~40 ms to every request on a kept-alive connection.
    disable_nagle_algorithm = True
    server: FakeServer

    def setup(self) -> None:
        super().setup()
        with self.server.app.lock:
            self.server.app.stats.connections_opened += 1

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines go nowhere: logs are a place secrets leak to, and tests want quiet output.
        return

    def _serve(self) -> None:
        app = self.server.app
        raw_path, _, query = self.path.partition("?")
        raw_path = raw_path.partition("#")[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        head = RequestHead(
            method=self.command,
            raw_path=raw_path,
            query=parse_qs(query, keep_blank_values=True),
            headers=headers,
            host=(headers.get("host") or "").rsplit(":", 1)[0],
        )
        exchange = app.begin(head)
        try:
            try:
                for chunk in self._body_chunks():
                    exchange.feed(chunk)
            except _BadRequest as exc:
                self.close_connection = True
                self._write(error_reply(ApiError(400, str(exc)), exchange.request_id))
                return
            if exchange.latency > 0:
                time.sleep(exchange.latency)
            reply = exchange.finish()
            # Closed before the reply leaves: a client that has read it must find the request finished
            # (in_flight, peak_concurrency), not racing this thread.
            exchange.close()
            self._write(reply)
        finally:
            exchange.close()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_TRACE = do_QUERY = _serve

    def _body_chunks(self) -> Iterator[bytes]:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            yield from self._chunked()
            return
        raw_length = self.headers.get("Content-Length", "0") or "0"
        if not raw_length.strip().isdigit():
            raise _BadRequest(f"invalid Content-Length {raw_length!r}")
        remaining = int(raw_length)
        while remaining > 0:
            chunk = self.rfile.read(min(_CHUNK, remaining))
            if not chunk:
                raise _BadRequest("the request body ended early")
            remaining -= len(chunk)
            yield chunk

    def _chunked(self) -> Iterator[bytes]:
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadRequest("malformed chunked body") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return
            remaining = size
            while remaining > 0:
                chunk = self.rfile.read(min(_CHUNK, remaining))
                if not chunk:
                    raise _BadRequest("the chunked body ended early")
                remaining -= len(chunk)
                yield chunk
            self.rfile.readline(8)

    def _write(self, reply: Reply) -> None:
        if reply.action == "drop":
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.status >= 200 and reply.status not in (204, 304) and reply.action != "endless":
            self.send_header("Content-Length", str(len(reply.body)))
        if reply.action in ("truncate", "cut", "endless"):
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD" or reply.status in (204, 304):
            return
        if reply.action == "truncate":
            self.wfile.write(reply.body[: len(reply.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if reply.action in ("cut", "slow", "endless"):
            _misbehave(self, reply)
            return
        self.wfile.write(reply.body)


def _misbehave(handler: _Handler, reply: Reply) -> None:
    """The download faults: a cut, trickled or endless body (bounded: 30 s at most)."""
    handler.close_connection = True
    out = handler.wfile
    with contextlib.suppress(OSError):
        if reply.action == "cut":
            out.write(reply.body[: int(reply.amount)])
        elif reply.action == "slow":
            stop = time.monotonic() + 30
            for start in range(0, len(reply.body), 16):
                if time.monotonic() > stop:
                    break
                out.write(reply.body[start : start + 16])
                out.flush()
                time.sleep(reply.amount)
        else:
            block, stop = b"\0" * _CHUNK, time.monotonic() + 30
            while time.monotonic() < stop:
                out.write(block)
        out.flush()


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 resets connections when a test opens dozens at once.
    request_queue_size = 1024

    def __init__(self, app: App, port: int = 0) -> None:
        self.app = app
        self._conn_lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._run_connection, args=(request, client_address), name="fal-fake-conn", daemon=True
        )
        with self._conn_lock:
            self._connections[request] = thread
        thread.start()

    def _run_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._conn_lock:
                self._connections.pop(request, None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up, or close() shutting a socket, is normal life for a test server; anything
        # else is a bug in the fake and must not vanish.
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            logger.debug("fal fake: connection from %s ended: %r", client_address, exc)
        else:
            logger.exception("fal fake: error serving %s", client_address)

    def close_connections(self, timeout: float = 5.0) -> None:
        with self._conn_lock:
            live = list(self._connections.items())
        for sock, _ in live:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for _, thread in live:
            thread.join(max(0.0, deadline - time.monotonic()))


class ServerThread:
    """Owns the server and the thread running its accept loop."""

    def __init__(self, app: App, port: int = 0) -> None:
        self.server = FakeServer(app, port)
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="fal-fake-server",
            daemon=True,
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return self.server.port

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.server.close_connections()
        self._thread.join()
