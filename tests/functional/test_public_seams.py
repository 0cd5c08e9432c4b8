"""The shipped code leans on no private name of its dependencies, and declares every package it imports."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

from tests import paths

ROOT = paths.ROOT
SHIPPED = [*sorted((ROOT / "facade").rglob("*.py")), *sorted((ROOT / "generated").rglob("*.py"))]
DEPENDENCIES = ("httpx", "httpcore", "attrs", "dateutil", "anyio")
# Private attributes we once reached into (httpx's transport pool and its backend), by name.
KNOWN_PRIVATE = frozenset({"_pool", "_network_backend", "_transport", "_utils"})


def private_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in DEPENDENCIES:
                    modules.add(alias.asname or top)
                    if any(part.startswith("_") for part in alias.name.split(".")[1:]):
                        found.append(f"{path.name}:{node.lineno} import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] in DEPENDENCIES and (
                any(p.startswith("_") for p in parts[1:]) or any(a.name.startswith("_") for a in node.names)
            ):
                found.append(f"{path.name}:{node.lineno} from {node.module} import ...")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if isinstance(node.value, ast.Name) and node.value.id in modules:
                found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
            elif node.attr in KNOWN_PRIVATE and not (
                isinstance(node.value, ast.Name) and node.value.id == "self"
            ):
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
    return found


def test_no_private_name_of_a_dependency_is_used() -> None:
    found = [use for path in SHIPPED for use in private_uses(path)]
    assert found == []


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import httpx\nfrom httpx._utils import x\nt = httpx.HTTPTransport()\nt._pool._network_backend = 1\n"
        "httpx._config\n"
    )
    assert len(private_uses(sample)) == 4


def test_every_third_party_import_is_declared() -> None:
    declared = {
        name.split(">")[0].split("<")[0].split("=")[0].strip().lower()
        for name in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    names = {"dateutil": "python-dateutil"}
    imported: set[str] = set()
    for path in SHIPPED:
        if "testing" in path.parts and path.name == "pytest_plugin.py":
            continue  # loaded by pytest itself, which is there when it runs
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = {
        names.get(name, name)
        for name in imported
        if name not in sys.stdlib_module_names and name not in ("fal_assets", "fal_assets_api", "__future__")
    }
    assert third_party - declared == set()


PROXY_ENVIRONMENTS = [
    {"HTTPS_PROXY": "http://proxy.example:3128"},
    {"https_proxy": "http://proxy.example:3128", "NO_PROXY": "localhost,127.0.0.1,.internal,::1"},
    {"ALL_PROXY": "http://proxy.example:3128", "no_proxy": "example.com, http://plain.example"},
    {"HTTPS_PROXY": "http://proxy.example:3128", "NO_PROXY": "*"},
    {"NO_PROXY": "example.com"},
]


@pytest.mark.parametrize("environment", PROXY_ENVIRONMENTS)
def test_proxies_are_read_from_the_environment_as_httpx_reads_them(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    """Differential: the shipped reading (standard library) against httpx's own (a private helper, used
    here only as the reference)."""
    from fal_assets._core.transport import _environment_proxies
    from httpx._utils import get_environment_proxies

    for name in (
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "HTTP_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    reference = get_environment_proxies()
    proxy = reference.get("https://") or reference.get("all://")
    bypass = sorted(pattern for pattern, url in reference.items() if url is None)
    ours, our_bypass = _environment_proxies()
    assert (ours, sorted(our_bypass)) == (proxy, bypass)


def test_the_bounded_transport_speaks_tls_and_reuses_its_connections(tmp_path: Path) -> None:
    """The bounded sockets are this package's own httpcore stream: TLS (SNI, verification) and keep-alive
    work through it as through httpcore's backend."""
    import http.server
    import shutil
    import ssl
    import subprocess
    import threading

    import httpx
    from fal_assets._core.sockets import BoundedTransport

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate to serve TLS with")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    peers: list[tuple[str, int]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            peers.append(self.client_address)
            body = b"over tls"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    server.socket = served.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    trusted = ssl.create_default_context(cafile=str(cert))
    try:
        transport = BoundedTransport(ssl_context=trusted, limits=httpx.Limits(max_connections=2))
        with httpx.Client(transport=transport, trust_env=False) as client:
            url = f"https://localhost:{server.server_address[1]}/"
            assert [client.get(url).text for _ in range(3)] == ["over tls"] * 3
        assert len(set(peers)) == 1  # one connection, kept alive
        untrusted = BoundedTransport(ssl_context=ssl.create_default_context(), limits=httpx.Limits())
        with httpx.Client(transport=untrusted, trust_env=False) as client, pytest.raises(httpx.ConnectError):
            client.get(url)
    finally:
        server.shutdown()
        server.server_close()
