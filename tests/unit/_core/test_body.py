"""Capped bodies: decoded (gzip, deflate) and cut at the cap counted after decompression, so a gzip bomb
stops there; truncated or refused; unknown or broken encodings are decoding errors; a reply as errors keep
it."""

from __future__ import annotations

import gzip
import zlib

import httpx
import pytest
from fal_assets._core.body import BodyTooLarge, CappedBody, Reply, synthesized


def streamed(encoding: str | None = None) -> httpx.Response:
    headers = {"content-encoding": encoding} if encoding else {}
    return httpx.Response(200, headers=headers, stream=httpx.ByteStream(b""))


def feed_all(body: CappedBody, data: bytes, size: int = 1000) -> bool:
    return all(body.feed(data[i : i + size]) for i in range(0, len(data), size))


@pytest.mark.parametrize("encoding", [None, "identity", "gzip", "x-gzip", "deflate"])
def test_a_body_is_decoded_whole_under_the_cap(encoding: str | None) -> None:
    data = b'{"ok": true}' * 500
    raw = {"gzip": gzip.compress, "x-gzip": gzip.compress, "deflate": zlib.compress}.get(
        encoding or "", bytes
    )
    body = CappedBody(streamed(encoding), len(data), truncate=False)
    assert feed_all(body, raw(data))
    assert body.result() == data


def test_a_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)  # about 2 KB on the wire
    body = CappedBody(streamed("gzip"), 1000, truncate=True)
    assert not feed_all(body, bomb, 4096)
    kept = body.result()
    assert len(kept) <= 1000 and kept == b"\0" * len(kept)  # what fit before the cap, nothing past it
    refused = CappedBody(streamed("gzip"), 1000, truncate=False)
    with pytest.raises(BodyTooLarge) as caught:
        feed_all(refused, bomb, 4096)
    assert caught.value.limit == 1000 and "1000" in str(caught.value)


def test_an_endless_identity_body_is_cut() -> None:
    body = CappedBody(streamed(), 10, truncate=True)
    assert body.feed(b"12345") and not body.feed(b"67890!")
    assert body.result() == b"12345"


def test_unknown_or_broken_encodings_are_decoding_errors() -> None:
    with pytest.raises(httpx.DecodingError, match="br"):
        CappedBody(streamed("br"), 100, truncate=False)
    body = CappedBody(streamed("gzip"), 100, truncate=False)
    with pytest.raises(httpx.DecodingError):
        body.feed(b"this is not gzip at all")


def test_a_preloaded_response_is_not_decoded_again() -> None:
    response = httpx.Response(200, headers={"content-encoding": "gzip"}, content=gzip.compress(b"plain"))
    assert response.read() == b"plain"  # decoded already by httpx
    body = CappedBody(response, 100, truncate=False)
    assert body.preloaded and body.feed(b"plain") and body.result() == b"plain"


def test_a_reply_keeps_the_decoded_body_without_encoding_headers() -> None:
    request = httpx.Request("GET", "https://api.fal.ai/v1/x")
    raw = httpx.Response(
        503,
        headers={"content-encoding": "gzip", "content-length": "99", "x-request-id": "r1"},
        stream=httpx.ByteStream(b""),
        request=request,
    )
    reply = Reply(raw, b'{"detail": "busy"}')
    assert not reply.is_success and reply.status_code == 503
    kept = reply.response
    assert kept is reply.response  # built once
    assert kept.content == b'{"detail": "busy"}' and kept.request is request
    assert "content-encoding" not in kept.headers and kept.headers["x-request-id"] == "r1"
    assert kept.headers["content-length"] == str(len(kept.content))
    assert synthesized(raw, b"").content == b""
    assert Reply(httpx.Response(204, stream=httpx.ByteStream(b"")), b"").is_success
