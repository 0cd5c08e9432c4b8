"""The in-process mode: httpx transports that hand requests straight to the fake, no socket involved."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs

import anyio
import httpx

from ._app import App
from ._common import Reply, RequestHead


def _head(request: httpx.Request) -> RequestHead:
    raw_path, _, query = request.url.raw_path.decode("ascii").partition("?")
    return RequestHead(
        method=request.method,
        raw_path=raw_path,
        query=parse_qs(query, keep_blank_values=True),
        headers={k.lower(): v for k, v in request.headers.items()},
        host=request.url.host,
    )


def _disconnected(request: httpx.Request) -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)


class _TruncatedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Half of the announced body, then the error httpx raises when a peer closes mid-body."""

    def __init__(self, reply: Reply, request: httpx.Request) -> None:
        self._part = reply.body[: len(reply.body) // 2]
        self._expected = len(reply.body)
        self._request = request

    def _error(self) -> httpx.RemoteProtocolError:
        return httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body: "
            f"received {len(self._part)} bytes, expected {self._expected}",
            request=self._request,
        )

    def __iter__(self) -> Iterator[bytes]:
        yield self._part
        raise self._error()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._part
        raise self._error()


def _response(reply: Reply, request: httpx.Request) -> httpx.Response:
    if reply.action == "drop":
        raise _disconnected(request)
    headers = list(reply.headers)
    if reply.action == "truncate":
        headers.append(("Content-Length", str(len(reply.body))))
        return httpx.Response(
            reply.status, headers=headers, stream=_TruncatedStream(reply, request), request=request
        )
    body = b"" if request.method == "HEAD" else reply.body
    return httpx.Response(reply.status, headers=headers, content=body, request=request)


class FakeTransport(httpx.BaseTransport):
    def __init__(self, app: App) -> None:
        self._app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(request.stream, httpx.SyncByteStream):
            raise TypeError("FakeFal.transport() serves httpx.Client; use async_transport() for AsyncClient")
        exchange = self._app.begin(_head(request))
        try:
            for chunk in request.stream:
                exchange.feed(chunk)
            if exchange.latency > 0:
                time.sleep(exchange.latency)
            reply = exchange.finish()
        finally:
            exchange.close()
        return _response(reply, request)


class AsyncFakeTransport(httpx.AsyncBaseTransport):
    def __init__(self, app: App) -> None:
        self._app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(request.stream, httpx.AsyncByteStream):
            raise TypeError("FakeFal.async_transport() serves httpx.AsyncClient; use transport() for Client")
        exchange = self._app.begin(_head(request))
        try:
            async for chunk in request.stream:
                exchange.feed(chunk)
            if exchange.latency > 0:
                await anyio.sleep(exchange.latency)
            reply = exchange.finish()
        finally:
            exchange.close()
        return _response(reply, request)
