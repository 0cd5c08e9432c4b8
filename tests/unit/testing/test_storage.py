"""FakeFal's storage endpoints over real HTTP: tokens, single, multipart and presigned uploads, byte-exact."""

from __future__ import annotations

import hashlib
import json
import os
import ssl
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest
from fal_assets.testing import FakeFal

TLS = ssl.create_default_context()
MiB = 1024 * 1024


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS) as client:
        yield client


def token_for(fake: FakeFal, http: httpx.Client) -> dict[str, str]:
    response = http.post(
        f"{fake.storage_base_url}/storage/auth/token",
        params={"storage_type": "fal-cdn-v3"},
        json={},
        headers={"Authorization": f"Key {fake.api_key}"},
    )
    assert response.status_code == 200, response.text
    token: dict[str, str] = response.json()
    return token


def bearer(token: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"{token['token_type']} {token['token']}"}


def upload(
    http: httpx.Client, token: dict[str, str], content: bytes, name: str = "photo.png"
) -> httpx.Response:
    headers = {**bearer(token), "Content-Type": "image/png", "X-Fal-File-Name": name}
    return http.post(f"{token['base_url']}/files/upload", content=content, headers=headers)


def test_token_shape_and_expiry(http: httpx.Client) -> None:
    now = [1_800_000_000.0]
    with FakeFal.serve(clock=lambda: now[0]) as fake:
        token = token_for(fake, http)
        assert token["token_type"] == "Bearer" and len(token["token"]) >= 20
        assert token["base_url"] == fake.cdn_base_url
        # an hour later, with an offset: fal-client reads it with fromisoformat, which refuses "Z" before 3.11
        assert token["expires_at"] == "2027-01-15T09:00:00.000+00:00"
        assert upload(http, token, b"a").status_code == 200
        now[0] += 3600
        expired = upload(http, token, b"a")
        assert expired.status_code == 401 and expired.json()["error"]["type"] == "authorization_error"
        fresh = token_for(fake, http)
        assert upload(http, fresh, b"a").status_code == 200
        fake.expire_tokens()
        assert upload(http, fresh, b"a").status_code == 401
        wrong_type = http.post(
            f"{fake.storage_base_url}/storage/auth/token?storage_type=s3",
            json={},
            headers={"Authorization": f"Key {fake.api_key}"},
        )
        assert wrong_type.status_code == 422


def test_cdn_uploads_need_the_bearer_token(fal_fake: FakeFal, http: httpx.Client) -> None:
    url = f"{fal_fake.cdn_base_url}/files/upload"
    assert http.post(url, content=b"x").status_code == 401
    key_instead = http.post(url, content=b"x", headers={"Authorization": f"Key {fal_fake.api_key}"})
    assert key_instead.status_code == 401
    assert http.post(url, content=b"x", headers={"Authorization": "Bearer made-up"}).status_code == 401
    assert fal_fake.files == {}


def test_single_upload_is_byte_exact_and_served_back(fal_fake: FakeFal, http: httpx.Client) -> None:
    data = os.urandom(300 * 1024)
    response = upload(http, token_for(fal_fake, http), data, name="my photo.png")
    assert response.status_code == 200
    url = response.json()["access_url"]
    assert url.startswith(f"{fal_fake.cdn_base_url}/files/") and url.endswith("/" + quote("my photo.png"))
    stored = fal_fake.files[url]
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert (stored.name, stored.content_type, stored.via, stored.parts_sorted) == (
        "my photo.png",
        "image/png",
        "single",
        None,
    )
    assert stored.data == data
    served = http.get(url)
    assert served.content == data and served.headers["content-type"] == "image/png"
    recorded = fal_fake.requests[-2]
    assert recorded.operation == "cdnUpload" and recorded.body == b"" and recorded.body_size == len(data)
    assert recorded.auth_scheme == "Bearer" and recorded.headers["authorization"] == "Bearer ***"
    assert fal_fake.counts["cdnUpload"] == 1 and fal_fake.counts["fileGet"] == 1


def test_chunked_uploads_are_hashed_while_streaming(fal_fake: FakeFal, http: httpx.Client) -> None:
    chunk = os.urandom(256 * 1024)
    response = upload(http, token_for(fal_fake, http), iter([chunk] * 12))  # type: ignore[arg-type]
    url = response.json()["access_url"]
    stored = fal_fake.files[url]
    assert stored.size == 3 * MiB and stored.sha256 == hashlib.sha256(chunk * 12).hexdigest()
    assert stored.data is None  # over 1 MiB: not kept
    assert http.get(url).status_code == 404
    assert fal_fake.requests[-2].headers["transfer-encoding"] == "chunked"


def test_keep_data_keeps_big_files(http: httpx.Client) -> None:
    data = os.urandom(2 * MiB)
    with FakeFal.serve(keep_data=True) as fake:
        url = upload(http, token_for(fake, http), data).json()["access_url"]
        assert fake.files[url].data == data and http.get(url).content == data


def start_multipart(fake: FakeFal, http: httpx.Client, token: dict[str, str], name: str) -> tuple[str, str]:
    headers = {**bearer(token), "Content-Type": "video/mp4", "X-Fal-File-Name": name}
    response = http.post(f"{token['base_url']}/files/upload/multipart", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["access_url"], body["uploadId"]


def put_part(http: httpx.Client, token: dict[str, str], url: str, upload_id: str, n: int, data: bytes) -> str:
    response = http.put(f"{url}/multipart/{upload_id}/{n}", content=data, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.headers["etag"]


def test_multipart_assembles_parts_in_order_whatever_the_arrival(
    fal_fake: FakeFal, http: httpx.Client
) -> None:
    token = token_for(fal_fake, http)
    url, upload_id = start_multipart(fal_fake, http, token, "clip.mp4")
    parts = {1: os.urandom(2 * MiB), 2: os.urandom(2 * MiB), 3: os.urandom(1000)}
    with ThreadPoolExecutor(3) as pool:
        order = [3, 1, 2]
        etags = dict(
            zip(
                order,
                pool.map(lambda n: put_part(http, token, url, upload_id, n, parts[n]), order),
                strict=True,
            )
        )
    listed = [{"partNumber": n, "etag": etags[n]} for n in (2, 3, 1)]
    done = http.post(f"{url}/multipart/{upload_id}/complete", json={"parts": listed}, headers=bearer(token))
    assert done.status_code == 200 and done.json() == {"access_url": url}
    stored = fal_fake.files[url]
    whole = parts[1] + parts[2] + parts[3]
    assert (stored.size, stored.sha256) == (len(whole), hashlib.sha256(whole).hexdigest())
    assert (stored.via, stored.parts_sorted, stored.content_type, stored.name) == (
        "multipart",
        False,
        "video/mp4",
        "clip.mp4",
    )
    # A retried completion (its first answer lost) gets the same answer.
    again = http.post(f"{url}/multipart/{upload_id}/complete", json={"parts": listed}, headers=bearer(token))
    assert again.json() == {"access_url": url}
    assert fal_fake.counts["multipartPart"] == 3 and fal_fake.writes_applied["multipartComplete"] == 1


def test_multipart_completion_checks_the_parts(fal_fake: FakeFal, http: httpx.Client) -> None:
    token = token_for(fal_fake, http)
    url, upload_id = start_multipart(fal_fake, http, token, "a.bin")
    first = put_part(http, token, url, upload_id, 1, b"one")
    put_part(http, token, url, upload_id, 2, b"stale")
    second = put_part(http, token, url, upload_id, 2, b"two")  # a re-sent part replaces the earlier one

    def complete(parts: object) -> httpx.Response:
        return http.post(
            f"{url}/multipart/{upload_id}/complete", json={"parts": parts}, headers=bearer(token)
        )

    only_one = complete([{"partNumber": 1, "etag": first}])
    assert (
        only_one.status_code == 422 and "expected exactly parts 1..2" in only_one.json()["error"]["message"]
    )
    wrong_etag = complete([{"partNumber": 1, "etag": first}, {"partNumber": 2, "etag": '"nope"'}])
    assert "etag of part 2 does not match" in wrong_etag.json()["error"]["message"]
    assert complete([]).status_code == 422
    assert complete([{"partNumber": "1", "etag": first}]).status_code == 422
    assert http.put(f"{url}/multipart/{upload_id}/0", content=b"x", headers=bearer(token)).status_code == 422
    assert http.put(f"{url}/multipart/unknown/1", content=b"x", headers=bearer(token)).status_code == 404
    assert http.put(f"{url}/multipart/{upload_id}/3", content=b"x").status_code == 401
    unquoted = [{"partNumber": 1, "etag": first.strip('"')}, {"partNumber": 2, "etag": second}]
    assert complete(unquoted).status_code == 200
    stored = fal_fake.files[url]
    assert stored.sha256 == hashlib.sha256(b"onetwo").hexdigest() and stored.parts_sorted is True
    assert stored.data == b"onetwo"


def test_initiate_and_presigned_put(fal_fake: FakeFal, http: httpx.Client) -> None:
    initiated = http.post(
        f"{fal_fake.storage_base_url}/storage/upload/initiate",
        params={"storage_type": "gcs"},
        json={"file_name": "doc.txt", "content_type": "text/plain"},
        headers={"Authorization": f"Key {fal_fake.api_key}"},
    )
    assert initiated.status_code == 200, initiated.text
    upload_url, file_url = initiated.json()["upload_url"], initiated.json()["file_url"]
    assert upload_url.startswith(f"{fal_fake.storage_base_url}/presigned/")
    assert file_url.startswith(f"{fal_fake.cdn_base_url}/files/") and file_url.endswith("/doc.txt")
    assert http.put(upload_url, content=b"hello", headers={"Content-Type": "text/plain"}).status_code == 200
    stored = fal_fake.files[file_url]
    assert (stored.via, stored.size, stored.sha256, stored.content_type) == (
        "presigned",
        5,
        hashlib.sha256(b"hello").hexdigest(),
        "text/plain",
    )
    assert http.get(file_url).content == b"hello"
    put = [r for r in fal_fake.requests if r.operation == "presignedPut"]
    assert len(put) == 1 and put[0].auth_scheme is None and "authorization" not in put[0].headers
    # A client that leaks its key to the presigned URL still succeeds, but the leak is on record (masked).
    leaky = http.put(upload_url, content=b"hello", headers={"Authorization": f"Key {fal_fake.api_key}"})
    assert leaky.status_code == 200
    last = fal_fake.requests[-1]
    assert last.auth_scheme == "Key" and last.headers["authorization"] == "Key ***"
    assert http.put(f"{fal_fake.storage_base_url}/presigned/forged", content=b"x").status_code == 403


def test_initiate_validates_its_body(fal_fake: FakeFal, http: httpx.Client) -> None:
    url = f"{fal_fake.storage_base_url}/storage/upload/initiate?storage_type=gcs"
    auth = {"Authorization": f"Key {fal_fake.api_key}"}
    assert http.post(url, json={"content_type": "text/plain"}, headers=auth).status_code == 422
    assert http.post(url, json={"file_name": "a"}).status_code == 401


_MEMORY_PROBE = textwrap.dedent(
    """
    import json, httpx
    from fal_assets.testing import FakeFal

    def hwm():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM"))

    CHUNK = bytes(range(256)) * 4096  # 1 MiB
    with FakeFal.serve() as fake, httpx.Client() as http:
        auth = {"Authorization": "Key " + fake.api_key}
        token = http.post(fake.storage_base_url + "/storage/auth/token", json={}, headers=auth).json()
        bearer = {"Authorization": "Bearer " + token["token"]}
        http.post(token["base_url"] + "/files/upload", content=CHUNK, headers=bearer)  # warm up
        before = hwm()
        cdn = token["base_url"]
        single = http.post(cdn + "/files/upload", content=iter([CHUNK] * SINGLE), headers=bearer)
        start = http.post(token["base_url"] + "/files/upload/multipart", headers=bearer).json()
        parts = []
        for n in (1, 2):
            url = f"{start['access_url']}/multipart/{start['uploadId']}/{n}"
            etag = http.put(url, content=iter([CHUNK] * PART), headers=bearer).headers["etag"]
            parts.append({"partNumber": n, "etag": etag})
        done = start["access_url"] + "/multipart/" + start["uploadId"] + "/complete"
        http.post(done, json={"parts": parts}, headers=bearer)
        after = hwm()
        files = fake.files
        print(json.dumps({
            "growth": after - before,
            "single": files[single.json()["access_url"]].sha256,
            "multipart": files[start["access_url"]].sha256,
        }))
    """
)


def sha256_of_chunks(count: int) -> str:
    digest = hashlib.sha256()
    for _ in range(count):
        digest.update(bytes(range(256)) * 4096)
    return digest.hexdigest()


def test_a_gibibyte_upload_does_not_grow_memory() -> None:
    single_mib, part_mib = 1024, 64
    # Measured in a fresh child: VmHWM is a process's peak, and this process's peak is already high.
    # The bodies are generators because httpcore copies the rest of a bytes body on every socket send.
    code = f"SINGLE, PART = {single_mib}, {part_mib}\n{_MEMORY_PROBE}"
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout)
    assert result["single"] == sha256_of_chunks(single_mib)
    assert result["multipart"] == sha256_of_chunks(2 * part_mib)
    assert result["growth"] < 32 * MiB, f"peak memory grew by {result['growth'] / MiB:.0f} MiB"
