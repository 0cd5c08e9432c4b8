"""Client settings shared by every part of a client: hosts, timeouts, retries, upload tuning."""

from __future__ import annotations

import functools
import ipaddress
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from ._core.attempt import Budget, WriteOptions
from ._core.auth import ApiKey, Credential, origin
from ._core.retry import DEFAULT_TIMEOUT, Deadline, RetryPolicy
from ._core.text import without_credentials
from ._errors import ValidationError

MiB = 1024 * 1024

DEFAULT_BASE_URL = "https://api.fal.ai/v1"
DEFAULT_STORAGE_BASE_URL = "https://rest.fal.ai"
# Where fal-client uploads when the token response names no base_url.
DEFAULT_CDN_BASE_URL = "https://v3.fal.media"
DEFAULT_FAL_HOSTS = frozenset({"fal.media", "v2.fal.media", "v3.fal.media", "v3b.fal.media"})

_OPTION_NAMES = frozenset(WriteOptions.__annotations__)
# No deadline never changes: calls without one share it.
_NO_DEADLINE = Deadline(None)

BASE_URL_ENV = "FAL_ASSETS_BASE_URL"
STORAGE_URL_ENV = "FAL_ASSETS_STORAGE_URL"
# "1" turns strict reply validation on where the code does not say (this project's own suite sets it).
STRICT_ENV = "FAL_ASSETS_STRICT_RESPONSE_VALIDATION"


@dataclass(frozen=True)
class UploadSettings:
    """Tuning of the upload engine. Parts follow fal-client's protocol limits; `concurrency` (requests in
    flight per client) was chosen by measurement (benchmarks/BENCHMARKS.md, "Default upload concurrency"):
    the fastest level whose multipart peak memory keeps headroom under the 64 MiB bound."""

    concurrency: int = 16
    multipart_threshold: int = 100 * MiB
    part_size: int = 10 * MiB

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValidationError("upload concurrency must be at least 1", field="concurrency")
        if self.part_size < 1 or self.multipart_threshold < 1:
            raise ValidationError("part_size and multipart_threshold must be positive", field="part_size")


@dataclass(frozen=True)
class ClientConfig:
    api_key: ApiKey
    base_url: str
    storage_base_url: str
    fal_hosts: frozenset[str]
    timeout: httpx.Timeout = field(default_factory=lambda: DEFAULT_TIMEOUT)
    # Seconds per whole attempt when the client's timeout was given as a number.
    attempt_limit: float | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    uploads: UploadSettings = field(default_factory=UploadSettings)
    # Replies must match the spec exactly; by default, a reply that lost a field, has a null or an enum
    # value the spec does not list is still read (README, "Forward compatibility").
    strict_response_validation: bool = False

    @functools.cached_property
    def api_credential(self) -> Credential:
        """The API key, for the API's and the storage REST service's origins only."""
        return Credential(
            self.api_key.header()["Authorization"],
            frozenset({origin(self.base_url), origin(self.storage_base_url)}),
        )

    def budget(self, options: Mapping[str, Any] | None = None) -> Budget:
        """One call's budget: its `RequestOptions` over the client's defaults (None means the default)."""
        if not options:
            return Budget(self.timeout, self.attempt_limit, self.retry, _NO_DEADLINE)
        unknown = set(options) - _OPTION_NAMES
        if unknown:
            raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
        timeout = options.get("timeout")
        max_retries = options.get("max_retries")
        deadline = options.get("deadline")
        retry = self.retry
        if max_retries is not None:
            if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
                raise ValidationError("max_retries must be an integer >= 0", field="max_retries")
            retry = replace(retry, max_retries=max_retries)
        if deadline is not None and (not isinstance(deadline, int | float) or not deadline > 0):
            raise ValidationError("deadline must be a positive number of seconds", field="deadline")
        limit = self.attempt_limit
        per_operation = self.timeout
        if timeout is not None:
            per_operation = as_timeout(timeout)
            limit = None if isinstance(timeout, httpx.Timeout) else float(timeout)
        return Budget(per_operation, limit, retry, Deadline(deadline), deadline)

    def all_loopback(self) -> bool:
        """True when both configured hosts are on this machine (a local fake)."""
        return all(
            is_loopback(urlsplit(url).hostname or "") for url in (self.base_url, self.storage_base_url)
        )


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and the literal `localhost`. Not `*.localhost`: a resolver (or /etc/hosts) may
    send `evil.localhost` anywhere."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_fal_service(host: str) -> bool:
    """fal's own API and storage hosts (`api.fal.ai`, `rest.fal.ai`, any `*.fal.ai`) and its CDN."""
    host = host.lower().rstrip(".")
    return host == "fal.ai" or host.endswith(".fal.ai") or host in DEFAULT_FAL_HOSTS


def credential_warnings(flags: Mapping[str, str | None]) -> list[str]:
    """A line per API or storage URL that came from a flag or the environment and would send the key to
    a host that is neither fal's nor loopback (a `.envrc` can set `FAL_ASSETS_BASE_URL` unnoticed).
    `flags` maps each env var name to the URL given by its flag (None: not given)."""
    found = []
    for env, flag in flags.items():
        url, origin_of = (flag, "a command-line option") if flag else (os.environ.get(env), env)
        if not url:
            continue
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            continue  # refused with a clear error when the client is made
        if host and not is_fal_service(host) and not is_loopback(host):
            from ._core.text import printable

            found.append(
                f"warning: your fal key will be sent to {printable(host)} (set by {origin_of}), "
                "which is not a fal host"
            )
    return found


def checked_base_url(url: str, *, name: str) -> str:
    """A base URL without its trailing slash; plain http only for loopback, so a key never crosses a
    network unencrypted."""
    parts = urlsplit(url)
    shown = without_credentials(repr(url))  # what the messages quote: never a password in the URL
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"{name} must be an http(s) URL, got {shown}", field=name)
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValidationError(
            f"{name} must use https (plain http is allowed only for loopback hosts), got {shown}", field=name
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValidationError(f"{name} must not carry credentials, a query or a fragment", field=name)
    return url.rstrip("/")


def make_config(
    *,
    api_key: str | None,
    base_url: str | None,
    storage_base_url: str | None,
    fal_hosts: Iterable[str] | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int | None,
    uploads: UploadSettings | None,
    strict_response_validation: bool | None = None,
) -> ClientConfig:
    if max_retries is not None and max_retries < 0:
        raise ValidationError("max_retries must be >= 0", field="max_retries")
    return ClientConfig(
        api_key=ApiKey.resolve(api_key),
        base_url=checked_base_url(
            base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL, name="base_url"
        ),
        storage_base_url=checked_base_url(
            storage_base_url or os.environ.get(STORAGE_URL_ENV) or DEFAULT_STORAGE_BASE_URL,
            name="storage_base_url",
        ),
        fal_hosts=frozenset(h.lower() for h in (DEFAULT_FAL_HOSTS if fal_hosts is None else fal_hosts)),
        timeout=as_timeout(timeout) if timeout is not None else DEFAULT_TIMEOUT,
        attempt_limit=None if timeout is None or isinstance(timeout, httpx.Timeout) else float(timeout),
        retry=RetryPolicy(max_retries=max_retries) if max_retries is not None else RetryPolicy(),
        uploads=uploads or UploadSettings(),
        strict_response_validation=(
            os.environ.get(STRICT_ENV, "") == "1"
            if strict_response_validation is None
            else strict_response_validation
        ),
    )


def as_timeout(value: float | httpx.Timeout) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValidationError(
            "timeout must be a positive number of seconds or an httpx.Timeout", field="timeout"
        )
    return httpx.Timeout(value, connect=min(value, DEFAULT_TIMEOUT.connect or value))
