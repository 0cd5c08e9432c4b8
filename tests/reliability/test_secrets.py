"""Secrets: the API key never leaks — not into logs (DEBUG, httpx and httpcore included), exception messages,
tracebacks (with and without their frames' locals), reprs, pickles, nor to any host but the API and the
storage REST host. Plain-http destinations off loopback are refused before a byte is sent.

One scenario per client kind exercises every operation, retries, drops, timeouts, malformed answers,
uploads (single, multipart, the initiate + presigned fallback) and failures, collecting everything a key
could leak into; the tests below then check each sink. A network guard fails any attempt to resolve or
connect to a non-loopback host, so a test here can never send anything off this machine.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import pickle
import socket
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import pytest
from fal_assets import (
    DEFAULT_FAL_HOSTS,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncFalAssets,
    AuthenticationError,
    FalAssets,
    FalAssetsError,
    NotFoundError,
    UploadError,
    UploadSettings,
    ValidationError,
)
from fal_assets.testing import FakeFal, RecordedRequest

from tests.support import VECTOR_ID, Sleeps, async_client, report_tally_line, sync_client

KEY = "fal-key-id:SUPERSECRET-123"
SECRET = "SUPERSECRET"  # the secret half; the key id alone is not a secret
TALLY: collections.Counter[str] = collections.Counter()
UPLOADS = UploadSettings(concurrency=4, multipart_threshold=256 * 1024, part_size=128 * 1024)
PNG = b"\x89PNG\r\n\x1a\n"
CDN_OPERATIONS = {"cdnUpload", "multipartInitiate", "multipartPart", "multipartComplete"}
KEY_OPERATIONS = {
    "listAssetCharacters",
    "createAssetCharacter",
    "getAssetCharacter",
    "updateAssetCharacter",
    "deleteAssetCharacter",
    "favoriteAssetCharacter",
    "unfavoriteAssetCharacter",
    "storageToken",
    "uploadInitiate",
}


def noise(size: int) -> bytes:
    """Random content without `*`: the fake masks every credential it sees as `***`, and the tests look for
    that mask in everything sent, upload bodies included, so random bytes must not spell it by chance."""
    return os.urandom(size).replace(b"*", b"+")


# -- a guard: nothing leaves loopback --------------------------------------------------------------------


def _is_loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class NetworkGuard:
    """Refuses (and records) every DNS lookup or connection to a host that is not loopback."""

    blocked: list[str] = field(default_factory=list)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_getaddrinfo = socket.getaddrinfo
        real_connect = socket.socket.connect

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            if not _is_loopback(host):
                self.blocked.append(f"resolve {host}")
                raise socket.gaierror(socket.EAI_NONAME, "blocked by the test's network guard")
            return real_getaddrinfo(host, *args, **kwargs)

        def connect(sock: socket.socket, address: Any) -> None:
            host = address[0] if isinstance(address, tuple) else address
            if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(host):
                self.blocked.append(f"connect {host}")
                raise ConnectionRefusedError("blocked by the test's network guard")
            real_connect(sock, address)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(autouse=True)
def guard(monkeypatch: pytest.MonkeyPatch) -> NetworkGuard:
    net = NetworkGuard()
    net.install(monkeypatch)
    return net


@pytest.fixture(scope="module", autouse=True)
def report_tally(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    report_tally_line(request, "secrets", TALLY)


# -- what a scenario collects ------------------------------------------------------------------------------


@dataclass
class Evidence:
    errors: list[BaseException] = field(default_factory=list)
    reprs: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)


class Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # The formatted message, and the traceback when the record carries one (exc_info=True).
        self.lines.append(self.format(record))


@contextmanager
def debug_logs() -> Iterator[Collector]:
    """DEBUG on the root logger and on every logger a key could reach (ours, httpx, httpcore...)."""
    collector = Collector()
    collector.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    names = ["", "fal_assets", "fal_assets.testing", "httpx", "httpcore", "hpack", "asyncio"]
    saved = {name: logging.getLogger(name).level for name in names}
    root = logging.getLogger()
    root.addHandler(collector)
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield collector
    finally:
        root.removeHandler(collector)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def expect(evidence: Evidence, error_type: type[BaseException], action: Callable[[], object]) -> None:
    try:
        action()
    except error_type as err:
        evidence.errors.append(err)
        return
    raise AssertionError(f"expected {error_type.__name__}")


async def aexpect(evidence: Evidence, error_type: type[BaseException], action: Callable[[], Any]) -> None:
    try:
        await action()
    except error_type as err:
        evidence.errors.append(err)
        return
    raise AssertionError(f"expected {error_type.__name__}")


def reset(evidence: Evidence, fake: FakeFal) -> None:
    """Clear the fake's faults, keeping what it recorded so far for the checks."""
    evidence.requests += fake.requests
    fake.reset()


def make_files(directory: Path) -> dict[str, Path]:
    files = {
        "small": directory / "small.png",
        "other": directory / "other.png",
        "big": directory / "big.png",
        "fallback": directory / "fallback.png",
        "failing": directory / "failing.png",
    }
    for name, path in files.items():
        size = 600 * 1024 if name == "big" else 2048
        path.write_bytes(PNG + noise(size))
    return files


def sync_scenario(fake: FakeFal, tmp_path: Path) -> Evidence:
    """Every operation, every kind of failure, every upload path, on one sync client."""
    ev = Evidence()
    files = make_files(tmp_path)
    sleeps = Sleeps()
    with sync_client(fake, sleeps, uploads=UPLOADS) as client:
        ev.reprs += [repr(client), str(client), repr(client.config), str(client.config)]
        ev.reprs += [repr(client.characters), repr(client.files), repr(client.config.api_key)]
        made = client.characters.create(
            name="Alice",
            description="d",
            reference_images=[VECTOR_ID, files["small"]],
            cover_image=files["other"],
        )
        cid = made.id
        client.characters.get(cid)
        client.characters.list(limit=5)
        list(client.characters.iter(page_size=1))
        fake.fail_next(2, 503, path=r"/v1/assets/characters/[^/]+$", method="PATCH")
        fake.fail_next(1, 429, headers={"Retry-After": "2"}, path=r"/favorite$")
        fake.drop_after_write(1, path=r"/unfavorite$")
        client.characters.update(cid, name="Bob", reference_images=[files["big"]])  # multipart
        client.characters.favorite(cid)
        client.characters.unfavorite(cid)
        fake.fail_next(3, 502, path=r"/cdn/files/upload$")  # CDN fails after its retries: fallback
        client.files.upload(files["fallback"])
        client.files.upload_many([files["small"], PNG + noise(99)])
        # failures of every kind
        expect(ev, NotFoundError, lambda: client.characters.get("missing-id"))
        fake.fail_next(1, 401, path=r"^/v1/")
        expect(ev, AuthenticationError, lambda: client.characters.list())
        fake.fail_next(3, 500, path=r"^/v1/")
        expect(ev, APIStatusError, lambda: client.characters.update(cid, name="x"))
        fake.drop_after_write(3, path=r"^/v1/")
        expect(ev, APIConnectionError, lambda: client.characters.favorite(cid))
        fake.corrupt_next("wrong_shape", path=r"^/v1/")
        expect(ev, APIResponseValidationError, lambda: client.characters.get(cid))
        fake.corrupt_next("truncated", 3, path=r"^/v1/")
        expect(ev, APIConnectionError, lambda: client.characters.get(cid))
        expect(ev, ValidationError, lambda: client.characters.update("a/b", name="x"))
        expect(
            ev,
            ValidationError,
            lambda: client.characters.update(cid, reference_images=[tmp_path / "nope.png"]),
        )
        # Both Key-authenticated storage requests fail: their errors keep the requests that carried the key.
        fake.expire_tokens()  # the client's cached upload token is refused: it must ask for a new one
        fake.fail_next(10, 401, path=r"^/storage/auth/token")
        fake.fail_next(10, 401, path=r"^/storage/upload/initiate")
        expect(ev, UploadError, lambda: client.files.upload(PNG + noise(50)))
        reset(ev, fake)
        fake.fail_next(100, 503, path=r"/cdn/")
        fake.fail_next(100, 503, path=r"^/storage/upload/initiate")  # fallback fails too (Key auth)
        expect(ev, UploadError, lambda: client.characters.update(cid, reference_images=[files["failing"]]))
        reset(ev, fake)
        fake.latency = 0.5
        expect(ev, APITimeoutError, lambda: client.characters.get(cid, timeout=0.1, max_retries=0))
        fake.latency = 0
        client.characters.delete(cid)
        ev.reprs += [repr(client), repr(client.config)]
    TALLY["scenario runs"] += 1
    return ev


async def async_scenario(fake: FakeFal, tmp_path: Path) -> Evidence:
    ev = Evidence()
    files = make_files(tmp_path)
    async with async_client(fake, uploads=UPLOADS) as client:
        ev.reprs += [repr(client), repr(client.config), repr(client.characters), repr(client.files)]
        made = await client.characters.create(
            name="Alice", description="d", reference_images=[files["small"]], cover_image=files["other"]
        )
        cid = made.id
        await client.characters.get(cid)
        await client.characters.list()
        fake.fail_next(1, 503, path=r"/v1/assets/characters/[^/]+$", method="PATCH")
        await client.characters.update(cid, reference_images=[files["big"]])
        await client.characters.favorite(cid)
        await client.characters.unfavorite(cid)
        fake.fail_next(3, 502, path=r"/cdn/files/upload$")
        await client.files.upload(files["fallback"])
        await aexpect(ev, NotFoundError, lambda: client.characters.get("missing-id"))
        fake.fail_next(3, 500, path=r"^/v1/")
        await aexpect(ev, APIStatusError, lambda: client.characters.update(cid, name="x"))
        fake.drop_after_write(3, path=r"^/v1/")
        await aexpect(ev, APIConnectionError, lambda: client.characters.favorite(cid))
        fake.corrupt_next("non_json", path=r"^/v1/")
        await aexpect(ev, APIResponseValidationError, lambda: client.characters.get(cid))
        fake.expire_tokens()  # the client's cached upload token is refused: it must ask for a new one
        fake.fail_next(10, 401, path=r"^/storage/auth/token")
        fake.fail_next(10, 401, path=r"^/storage/upload/initiate")
        await aexpect(ev, UploadError, lambda: client.files.upload(PNG + noise(50)))
        reset(ev, fake)
        fake.fail_next(100, 503, path=r"/cdn/")
        fake.fail_next(100, 503, path=r"^/storage/upload/initiate")
        await aexpect(
            ev, UploadError, lambda: client.characters.update(cid, reference_images=[files["failing"]])
        )
        reset(ev, fake)
        fake.latency = 0.5
        await aexpect(ev, APITimeoutError, lambda: client.characters.get(cid, timeout=0.1, max_retries=0))
        fake.latency = 0
        await client.characters.delete(cid)
    TALLY["scenario runs"] += 1
    return ev


@pytest.fixture(scope="module", params=["sync", "async"])
def evidence(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Evidence:
    """One run of the scenario per client kind, shared by the checks below."""
    tmp_path = tmp_path_factory.mktemp(f"secrets-{request.param}")
    net = NetworkGuard()
    with pytest.MonkeyPatch.context() as monkeypatch, debug_logs() as logs:
        net.install(monkeypatch)
        with FakeFal.serve(api_key=KEY) as fake:
            if request.param == "sync":
                ev = sync_scenario(fake, tmp_path)
            else:
                ev = asyncio.run(async_scenario(fake, tmp_path))
            reset(ev, fake)
    ev.logs = list(logs.lines)
    assert net.blocked == [], f"the scenario tried to leave loopback: {net.blocked}"
    TALLY["requests made by the scenarios"] += len(ev.requests)
    return ev


# -- the sinks -----------------------------------------------------------------------------------------------


def leaks(text: str) -> bool:
    return SECRET in text


def chain(error: BaseException) -> Iterator[BaseException]:
    """The error, its cause/context chain, and (for UploadError) every per-input error, each once."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [e for e in (current.__cause__, current.__context__) if e is not None]
        if isinstance(current, UploadError):
            todo += current.errors


def texts_of(error: BaseException) -> dict[str, str]:
    """Everything a logger, a crash reporter or a debugger would show of an error."""
    texts: dict[str, str] = {}
    for index, err in enumerate(chain(error)):
        name = f"{type(err).__name__}#{index}"
        texts[f"{name} str"] = str(err)
        texts[f"{name} repr"] = repr(err)
        texts[f"{name} notes"] = " ".join(getattr(err, "__notes__", []))
        texts[f"{name} vars"] = repr(vars(err))
        response = getattr(err, "response", None)
        request = getattr(err, "request", None) or getattr(response, "request", None)
        if request is not None:
            texts[f"{name} request headers"] = repr(list(request.headers.multi_items()))
            texts[f"{name} request url"] = str(request.url)
        try:
            texts[f"{name} pickle"] = pickle.dumps(err).decode("latin-1")
        except Exception as exc:  # not picklable is fine; leaking through a pickle is not
            texts[f"{name} pickle"] = f"<unpicklable: {type(exc).__name__}>"
    texts["traceback"] = "".join(traceback.format_exception(error))
    return texts


def test_key_never_in_logs(evidence: Evidence) -> None:
    assert any("updateAssetCharacter" in line for line in evidence.logs), "the DEBUG lines were not captured"
    assert any(line.startswith(("httpx", "httpcore")) for line in evidence.logs), "httpx/httpcore silent?"
    leaked = [line for line in evidence.logs if leaks(line)]
    TALLY["DEBUG log lines checked"] += len(evidence.logs)
    TALLY["leaks found"] += len(leaked)
    assert leaked == []


def test_key_never_in_errors_tracebacks_or_pickles(evidence: Evidence) -> None:
    assert len(evidence.errors) >= 7  # every kind of failure, see the scenarios
    found = []
    for error in evidence.errors:
        assert isinstance(error, FalAssetsError)
        for where, text in texts_of(error).items():
            TALLY["error texts checked"] += 1
            if leaks(text):
                found.append(f"{type(error).__name__}: {where}")
    TALLY["leaks found"] += len(found)
    assert found == []


def test_key_never_in_traceback_locals(evidence: Evidence) -> None:
    """What `pytest -l`, loguru's `diagnose`, rich's `show_locals` or a crash reporter print: every frame's
    local variables. A header dict holding the key in a local of the retry loop shows up here."""
    found = []
    for error in evidence.errors:
        for err in chain(error):
            rendered = "".join(traceback.TracebackException.from_exception(err, capture_locals=True).format())
            TALLY["tracebacks with locals checked"] += 1
            if leaks(rendered):
                line = next(line for line in rendered.splitlines() if leaks(line))
                found.append(f"{type(err).__name__}: {line.strip()[:160]}")
    TALLY["leaks found"] += len(found)
    assert found == [], "\n".join(sorted(set(found)))


def test_key_never_in_reprs(evidence: Evidence) -> None:
    assert evidence.reprs
    assert [text for text in evidence.reprs if leaks(text)] == []
    TALLY["reprs checked"] += len(evidence.reprs)


def test_key_goes_only_to_the_api_and_the_storage_rest_host(evidence: Evidence) -> None:
    requests = evidence.requests
    operations = {r.operation for r in requests}
    # The scenario really took every path.
    assert CDN_OPERATIONS | {"storageToken", "uploadInitiate", "presignedPut"} <= operations
    for r in requests:
        TALLY["requests checked"] += 1
        if r.auth_scheme == "Key":
            assert r.operation in KEY_OPERATIONS, f"the key went to {r.operation} {r.path}"
        if r.path.startswith("/cdn/"):
            assert r.auth_scheme == "Bearer", f"{r.operation} {r.path} carried {r.auth_scheme}"
        if r.path.startswith("/presigned/"):
            assert r.auth_scheme is None and "authorization" not in r.headers
        # The fake masks any credential it sees, wherever it sees it: a mask outside the Authorization
        # header means a secret travelled somewhere it should not.
        elsewhere = [v for k, v in r.headers.items() if k != "authorization"]
        for text in [*elsewhere, r.path, *r.query.values(), r.body.decode("utf-8", "replace")]:
            assert "***" not in text and not leaks(text), f"{r.operation}: credential in {text[:80]!r}"


# -- plain http off loopback is refused; foreign hosts never get the key ------------------------------------

UNSAFE_HTTP = [
    "http://api.example.com/v1",
    "http://10.0.0.1/v1",
    "http://0.0.0.0:8080/v1",
    "http://127.0.0.1.nip.io/v1",
    "http://localhost.evil.example/v1",
    "http://2130706433/v1",
    "http://127.1/v1",
]


@pytest.mark.parametrize("url", UNSAFE_HTTP)
@pytest.mark.parametrize("setting", ["base_url", "storage_base_url"])
@pytest.mark.parametrize("source", ["argument", "environment"])
def test_plain_http_off_loopback_is_refused(
    monkeypatch: pytest.MonkeyPatch, guard: NetworkGuard, url: str, setting: str, source: str
) -> None:
    for name in ("FAL_ASSETS_BASE_URL", "FAL_ASSETS_STORAGE_URL"):
        monkeypatch.delenv(name, raising=False)
    if source == "environment":
        monkeypatch.setenv("FAL_ASSETS_BASE_URL" if setting == "base_url" else "FAL_ASSETS_STORAGE_URL", url)
        kwargs: dict[str, Any] = {}
    else:
        kwargs = {setting: url}
    for cls in (FalAssets, AsyncFalAssets):
        with pytest.raises(ValidationError) as info:
            cls(api_key=KEY, **kwargs)
        assert info.value.field == setting
        assert not leaks(str(info.value))
    assert guard.blocked == []
    TALLY["unsafe base URLs refused"] += 2


def token_answer(fake: FakeFal, base_url: str) -> None:
    """The next storage token response names `base_url` as the CDN to upload to."""
    body = {
        "token": "tok-123",
        "token_type": "Bearer",
        "base_url": base_url,
        "expires_at": "2099-01-01T00:00:00Z",
    }
    fake.fail_next(1, 200, body=body, path=r"^/storage/auth/token$")


def test_token_naming_a_plain_http_cdn_off_loopback_is_not_followed(guard: NetworkGuard) -> None:
    with FakeFal.serve(api_key=KEY) as fake, sync_client(fake) as client:
        token_answer(fake, "http://203.0.113.7/cdn")
        url = client.files.upload(PNG + noise(64))
        # Neither the file nor the token went there: the upload took the initiate + presigned path.
        assert fake.files[url].via == "presigned"
    assert guard.blocked == []


def test_token_naming_another_host_gets_only_the_upload_token(guard: NetworkGuard) -> None:
    """The token response is fal's to give; the CDN it names receives the upload token (its purpose), but
    never the API key. "Another host" is a second fake, reached as "localhost" rather than 127.0.0.1."""
    with FakeFal.serve(api_key=KEY) as fake, FakeFal.serve() as elsewhere, sync_client(fake) as client:
        token_answer(fake, elsewhere.cdn_base_url.replace("127.0.0.1", "localhost"))
        client.files.upload(PNG + noise(64))
        seen = elsewhere.requests
    assert seen, "the upload should have gone to the CDN the token named"
    assert all(r.auth_scheme != "Key" for r in seen)
    assert {r.operation for r in seen} <= CDN_OPERATIONS
    assert guard.blocked == []


def initiate_answer(fake: FakeFal, upload_url: str) -> None:
    fake.fail_next(100, 503, path=r"^/cdn/")
    body = {"upload_url": upload_url, "file_url": f"{fake.cdn_base_url}/files/x/presigned.png"}
    fake.fail_next(1, 200, body=body, path=r"^/storage/upload/initiate$")


def test_presigned_url_on_plain_http_off_loopback_gets_nothing(guard: NetworkGuard) -> None:
    """A presigned URL carries no credentials, but the image itself must not cross a network in clear text
    either: the same rule as for base URLs (https, or plain http on loopback only)."""
    with FakeFal.serve(api_key=KEY) as fake, sync_client(fake, max_retries=0) as client:
        initiate_answer(fake, "http://203.0.113.8/presigned/abc")
        with pytest.raises(UploadError):
            client.files.upload(PNG + noise(64))
    assert guard.blocked == [], f"the client tried to reach {guard.blocked}"


def test_cdn_url_on_plain_http_never_gets_the_upload_token(guard: NetworkGuard) -> None:
    """A multipart initiate naming a fal host over plain http: the upload token (a bearer credential) must
    not be sent there in clear text, even though the host is one of fal's."""
    hosts = {"v3.fal.media"}
    with FakeFal.serve(api_key=KEY) as fake:
        with sync_client(fake, uploads=UPLOADS, fal_hosts=DEFAULT_FAL_HOSTS | fake.fal_hosts) as client:
            body = {"access_url": "http://v3.fal.media/files/x/big.png", "uploadId": "u1"}
            fake.fail_next(1, 200, body=body, path=r"/files/upload/multipart$")
            url = client.files.upload(PNG + noise(600 * 1024))
        assert fake.files[url].via == "presigned"
    assert not [b for b in guard.blocked if any(h in b for h in hosts)], guard.blocked
