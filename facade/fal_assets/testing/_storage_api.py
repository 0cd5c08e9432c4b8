"""fal's Storage API operations (``/v1/storage/...``): file ACL get/set, signed URLs, account settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import Reply, json_reply
from ._storage_control import MAX_SIGNED_SECONDS, bad, check_acl, check_seconds

if TYPE_CHECKING:
    from ._handlers import Call, Handler, Services


def _only(body: dict[str, object], allowed: set[str]) -> None:
    # fal's storage bodies are additionalProperties: false.
    extra = sorted(set(body) - allowed)
    if extra:
        raise bad(f"{extra[0]}: Extra inputs are not permitted")


def get_acl(services: Services, call: Call) -> Reply:
    stored = services.control.live_file(call.query_value("url"))
    return json_reply(200, services.control.state(stored.url).acl)


def set_acl(services: Services, call: Call) -> Reply:
    url = call.query_value("url")
    body = call.storage_body()
    acl = check_acl(body, "body")
    stored = services.control.live_file(url)
    # "Rules referencing users that do not exist are dropped. The response reflects the ACL actually applied."
    acl = services.control.existing_users_only(acl)
    services.control.state(stored.url).acl = acl
    return json_reply(200, acl)


def sign(services: Services, call: Call) -> Reply:
    url = call.query_value("url")
    body = call.storage_body()
    _only(body, {"expiration_seconds"})
    if "expiration_seconds" not in body:
        raise bad("expiration_seconds: Field required")
    seconds = check_seconds(body["expiration_seconds"], "expiration_seconds", high=MAX_SIGNED_SECONDS)
    stored = services.control.live_file(url)
    # Signed on the URL as the caller gave it, so the signed URL keeps the caller's host and encoding.
    return json_reply(200, {"signed_url": services.control.sign(url or stored.url, seconds)})


def get_settings(services: Services, call: Call) -> Reply:
    return json_reply(200, services.control.settings)


def update_settings(services: Services, call: Call) -> Reply:
    body = call.storage_body()
    _only(body, {"expiration_duration_seconds", "initial_acl"})
    seconds = body.get("expiration_duration_seconds")
    if seconds is not None:
        seconds = check_seconds(seconds, "expiration_duration_seconds")
    acl = body.get("initial_acl")
    if acl is not None:
        acl = services.control.existing_users_only(check_acl(acl, "initial_acl"))
    # "Omitted or null fields are cleared": the body replaces the settings whole.
    services.control.settings = {"expiration_duration_seconds": seconds, "initial_acl": acl}
    return json_reply(200, services.control.settings)


HANDLERS: dict[str, Handler] = {
    "getStorageFileAcl": get_acl,
    "setStorageFileAcl": set_acl,
    "signStorageFileUrl": sign,
    "getStorageSettings": get_settings,
    "updateStorageSettings": update_settings,
}
