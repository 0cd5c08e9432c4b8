"""Hostile HTTP servers on 127.0.0.1, written on raw sockets: they do what no well-behaved server does
(trickle, stall, never end, inflate, redirect) so that the client's promises can be tried.

`HostileServer(behaviour)` accepts connections in a thread and, for each request, calls
`behaviour(connection, request)`; behaviours below cover the usual attacks. Every behaviour gives up after
`MAX_SECONDS`, so a client that fails to stop itself fails its test instead of hanging the suite.
"""

from __future__ import annotations

import functools
import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

MAX_SECONDS = 8.0
MiB = 1024 * 1024


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""


Behaviour = Callable[[socket.socket, Request], None]


@dataclass
class HostileServer:
    behaviour: Behaviour
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stop = threading.Event()
        self._connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self) -> int:
        port: int = self._listener.getsockname()[1]
        return port

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        for conn in self._connections:
            with suppress(OSError):
                conn.close()
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._connections.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        try:
            while not self._stop.is_set():
                line = reader.readline()
                if not line:
                    return
                method, target, _ = line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (header := reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = header.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0") or 0)
                request = Request(method, target, headers, reader.read(length) if length else b"")
                self.requests.append(request)
                self.behaviour(conn, request)
        except (OSError, ValueError):
            return
        finally:
            with suppress(OSError):
                conn.close()


@contextmanager
def serving(behaviour: Behaviour) -> Iterator[HostileServer]:
    with HostileServer(behaviour) as server:
        yield server


def head(status: int = 200, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def reply(
    status: int = 200, body: bytes | dict[str, Any] = b"", headers: dict[str, str] | None = None
) -> Behaviour:
    """An ordinary reply (the baseline the attacks are compared with)."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    all_headers = {"Content-Type": "application/json", "Content-Length": str(len(data)), **(headers or {})}

    def behaviour(conn: socket.socket, request: Request) -> None:
        conn.sendall(head(status, all_headers) + data)

    return behaviour


def trickle(body: bytes, *, interval: float = 0.2, head_start: int = 0) -> Behaviour:
    """A 200 whose body comes one byte every `interval` seconds after the first `head_start` bytes."""

    def behaviour(conn: socket.socket, request: Request) -> None:
        conn.sendall(head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))}))
        conn.sendall(body[:head_start])
        deadline = time.monotonic() + MAX_SECONDS
        for byte in body[head_start:]:
            if time.monotonic() > deadline:
                return
            time.sleep(interval)
            conn.sendall(bytes([byte]))

    return behaviour


def slow_headers(*, interval: float = 0.2) -> Behaviour:
    """Headers that never finish: one byte of an endless header every `interval` seconds."""

    def behaviour(conn: socket.socket, request: Request) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        deadline = time.monotonic() + MAX_SECONDS
        while time.monotonic() < deadline:
            time.sleep(interval)
            conn.sendall(b"a")

    return behaviour


def sized(size: int, *, status: int = 200) -> Behaviour:
    """A reply of `size` bytes of spaces with an honest Content-Length, sent as fast as it is read."""
    block = b" " * MiB

    def behaviour(conn: socket.socket, request: Request) -> None:
        conn.sendall(head(status, {"Content-Type": "application/json", "Content-Length": str(size)}))
        sent, deadline = 0, time.monotonic() + MAX_SECONDS
        while sent < size and time.monotonic() < deadline:
            piece = block[: size - sent]
            conn.sendall(piece)
            sent += len(piece)

    return behaviour


def endless(*, chunk: bytes = b"x" * 65536, interval: float = 0.0, status: int = 200) -> Behaviour:
    """A chunked body that never ends (fast by default; a chunk every `interval` seconds otherwise)."""
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"

    def behaviour(conn: socket.socket, request: Request) -> None:
        conn.sendall(head(status, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}))
        deadline = time.monotonic() + MAX_SECONDS
        while time.monotonic() < deadline:
            conn.sendall(frame)
            if interval:
                time.sleep(interval)

    return behaviour


@functools.cache
def gzip_bomb(mebibytes: int = 1024) -> bytes:
    """About 1 MiB of gzip (one member) that inflates to `mebibytes` MiB of spaces.

    Built in well under a second: after a full flush, deflate's output for a block no longer depends on
    what came before, so one compressed MiB is repeated, and the trailer's CRC is computed alongside."""
    block = b" " * MiB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    compressor.compress(block)
    compressor.flush(zlib.Z_FULL_FLUSH)
    steady = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = struct.pack("<II", crc, (mebibytes * MiB) & 0xFFFFFFFF)
    return header + steady * mebibytes + compressor.flush(zlib.Z_FINISH) + trailer


def compressed(status: int, data: bytes) -> Behaviour:
    def behaviour(conn: socket.socket, request: Request) -> None:
        headers = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Content-Length": str(len(data)),
        }
        conn.sendall(head(status, headers) + data)

    return behaviour


def never_answer() -> Behaviour:
    """Reads the request, then holds the connection open without a byte of reply."""

    def behaviour(conn: socket.socket, request: Request) -> None:
        time.sleep(MAX_SECONDS)

    return behaviour


def redirect(location: str, status: int = 302) -> Behaviour:
    return reply(status, b"", {"Location": location})


def routes(table: dict[str, Behaviour], default: Behaviour | None = None) -> Behaviour:
    """Dispatch on the request path's prefix (the longest matching prefix wins)."""

    def behaviour(conn: socket.socket, request: Request) -> None:
        path = request.target.split("?", 1)[0]
        matches = [prefix for prefix in table if path.startswith(prefix)]
        chosen = table[max(matches, key=len)] if matches else default or reply(404, {"error": "no route"})
        chosen(conn, request)

    return behaviour
