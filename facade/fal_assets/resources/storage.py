"""`client.storage`: fal's Storage API for files on its CDN (ACLs, signed URLs) and the account's storage
settings (the expiry and initial ACL of later uploads); sync and async. These operations live under the
API's base URL, as fal's document says; `storage_base_url` stays the upload host."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Unpack

from fal_assets_api import operations as ops
from fal_assets_api.models.file_acl import FileAcl
from fal_assets_api.models.file_acl_request import FileAclRequest
from fal_assets_api.models.sign_file_url_request import SignFileUrlRequest
from fal_assets_api.models.storage_settings import StorageSettings
from fal_assets_api.models.update_storage_settings_request import UpdateStorageSettingsRequest
from fal_assets_api.types import UNSET, Unset

from .._core import spec as _spec
from .._core import validation as check
from .._core.attempt import RequestOptions
from .._core.lifecycle import EXPIRY_SECONDS, AclInput, AclRuleInput, acl_json, decision, rules_json
from .._errors import ValidationError

if TYPE_CHECKING:
    from .._client import AsyncApi, SyncApi

__all__ = ["AsyncStorage", "Storage"]

SIGN_SECONDS = _spec.bounds(_spec.property_schema("SignFileUrlRequest", "expiration_seconds"))


def _url(url: str) -> str:
    value = check.text(url, field="url", bounds=check.Bounds(1, None))
    if not value.startswith(("https://", "http://")) or any(ch.isspace() for ch in value):
        raise ValidationError("url must be the http(s) URL of a file on fal's CDN", field="url")
    return value


def _set_acl_args(url: str, default: str, rules: Iterable[AclRuleInput]) -> dict[str, Any]:
    body = {"default": decision(default, field="default"), "rules": rules_json(rules, field="rules")}
    return {"url_query": _url(url), "body": FileAclRequest.from_dict(body)}


def _sign_args(url: str, expires_in: int) -> dict[str, Any]:
    seconds = check.integer(expires_in, field="expires_in", bounds=SIGN_SECONDS)
    return {"url_query": _url(url), "body": SignFileUrlRequest(expiration_seconds=seconds)}


def _settings_body(
    expiration: int | None | Unset, initial_acl: AclInput | None | Unset
) -> UpdateStorageSettingsRequest:
    fields: dict[str, Any] = {}
    if not isinstance(expiration, Unset):
        fields["expiration_duration_seconds"] = (
            None
            if expiration is None
            else check.integer(expiration, field="expiration_duration_seconds", bounds=EXPIRY_SECONDS)
        )
    if not isinstance(initial_acl, Unset):
        fields["initial_acl"] = None if initial_acl is None else acl_json(initial_acl, field="initial_acl")
    if not fields:
        raise ValidationError("update_settings() needs expiration_duration_seconds or initial_acl (or both)")
    return UpdateStorageSettingsRequest.from_dict(fields)


class Storage:
    """fal's Storage API for a `FalAssets` client."""

    def __init__(self, api: SyncApi) -> None:
        self._api = api

    def get_acl(self, url: str, **options: Unpack[RequestOptions]) -> FileAcl:
        """The access-control list of a file on fal's CDN."""
        return self._api.call(ops.GET_STORAGE_FILE_ACL, self._api.budget(options), url_query=_url(url))

    def set_acl(
        self, url: str, *, default: str, rules: Iterable[AclRuleInput] = (), **options: Unpack[RequestOptions]
    ) -> FileAcl:
        """Replace a file's ACL: `default` ("allow", "forbid", "hide") for everyone but the users named in
        `rules`, given as `(user, decision)` pairs or `{"user", "decision"}` dicts."""
        arguments = _set_acl_args(url, default, rules)
        return self._api.call(ops.SET_STORAGE_FILE_ACL, self._api.budget(options), **arguments)

    def sign(self, url: str, *, expires_in: int, **options: Unpack[RequestOptions]) -> str:
        """A URL to the file that passes its ACL for `expires_in` seconds."""
        arguments = _sign_args(url, expires_in)
        return self._api.call(ops.SIGN_STORAGE_FILE_URL, self._api.budget(options), **arguments)

    def get_settings(self, **options: Unpack[RequestOptions]) -> StorageSettings:
        """The account's storage settings: expiry and initial ACL of new uploads."""
        return self._api.call(ops.GET_STORAGE_SETTINGS, self._api.budget(options))

    def update_settings(
        self,
        *,
        expiration_duration_seconds: int | None | Unset = UNSET,
        initial_acl: AclInput | None | Unset = UNSET,
        **options: Unpack[RequestOptions],
    ) -> StorageSettings:
        """Change the settings given: `expiration_duration_seconds=None` disables expiry, `initial_acl=None`
        restores the system default (public)."""
        body = _settings_body(expiration_duration_seconds, initial_acl)
        return self._api.call(ops.UPDATE_STORAGE_SETTINGS, self._api.budget(options), body=body)


class AsyncStorage:
    """fal's Storage API for an `AsyncFalAssets` client; see `Storage`."""

    def __init__(self, api: AsyncApi) -> None:
        self._api = api

    async def get_acl(self, url: str, **options: Unpack[RequestOptions]) -> FileAcl:
        """The access-control list of a file on fal's CDN."""
        return await self._api.call(ops.GET_STORAGE_FILE_ACL, self._api.budget(options), url_query=_url(url))

    async def set_acl(
        self, url: str, *, default: str, rules: Iterable[AclRuleInput] = (), **options: Unpack[RequestOptions]
    ) -> FileAcl:
        """Replace a file's ACL: `default` ("allow", "forbid", "hide") for everyone but the users named in
        `rules`, given as `(user, decision)` pairs or `{"user", "decision"}` dicts."""
        arguments = _set_acl_args(url, default, rules)
        return await self._api.call(ops.SET_STORAGE_FILE_ACL, self._api.budget(options), **arguments)

    async def sign(self, url: str, *, expires_in: int, **options: Unpack[RequestOptions]) -> str:
        """A URL to the file that passes its ACL for `expires_in` seconds."""
        arguments = _sign_args(url, expires_in)
        return await self._api.call(ops.SIGN_STORAGE_FILE_URL, self._api.budget(options), **arguments)

    async def get_settings(self, **options: Unpack[RequestOptions]) -> StorageSettings:
        """The account's storage settings: expiry and initial ACL of new uploads."""
        return await self._api.call(ops.GET_STORAGE_SETTINGS, self._api.budget(options))

    async def update_settings(
        self,
        *,
        expiration_duration_seconds: int | None | Unset = UNSET,
        initial_acl: AclInput | None | Unset = UNSET,
        **options: Unpack[RequestOptions],
    ) -> StorageSettings:
        """Change the settings given: `expiration_duration_seconds=None` disables expiry, `initial_acl=None`
        restores the system default (public)."""
        body = _settings_body(expiration_duration_seconds, initial_acl)
        return await self._api.call(ops.UPDATE_STORAGE_SETTINGS, self._api.budget(options), body=body)
