from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.storage_settings import StorageSettings
from ...models.update_storage_settings_request import UpdateStorageSettingsRequest
from ...types import Response


def _get_kwargs(
    *,
    body: UpdateStorageSettingsRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/storage/settings",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | StorageSettings | None:
    if response.status_code == 200:
        response_200 = StorageSettings.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | StorageSettings]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UpdateStorageSettingsRequest,
) -> Response[ErrorResponse | StorageSettings]:
    """Update storage settings


    Replaces the account-level storage lifecycle settings applied to newly
    uploaded fal CDN files. Omitted or null fields are cleared (reset to the
    system default), so always send the full desired configuration. Sending an
    empty JSON object `{}` clears all settings. To change a single setting,
    first GET the current settings and PUT the full object back with only that
    field changed.

    A request whose body is not valid JSON (including a zero-length body) or
    whose Content-Type is not `application/json` is rejected with a 400
    `validation_error` and the stored settings are unchanged.

    ACL rules referencing users that do not exist are dropped. The response
    reflects the settings actually saved, so verify it contains the rules you sent.

    These are the same settings that the per-request
    `X-Fal-Object-Lifecycle-Preference` header overrides on individual requests.

    **Authentication:** Required. The API key must have the `account:settings:write` permission.


    Args:
        body (UpdateStorageSettingsRequest): Account-level storage lifecycle settings

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | StorageSettings]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: UpdateStorageSettingsRequest,
) -> ErrorResponse | StorageSettings | None:
    """Update storage settings


    Replaces the account-level storage lifecycle settings applied to newly
    uploaded fal CDN files. Omitted or null fields are cleared (reset to the
    system default), so always send the full desired configuration. Sending an
    empty JSON object `{}` clears all settings. To change a single setting,
    first GET the current settings and PUT the full object back with only that
    field changed.

    A request whose body is not valid JSON (including a zero-length body) or
    whose Content-Type is not `application/json` is rejected with a 400
    `validation_error` and the stored settings are unchanged.

    ACL rules referencing users that do not exist are dropped. The response
    reflects the settings actually saved, so verify it contains the rules you sent.

    These are the same settings that the per-request
    `X-Fal-Object-Lifecycle-Preference` header overrides on individual requests.

    **Authentication:** Required. The API key must have the `account:settings:write` permission.


    Args:
        body (UpdateStorageSettingsRequest): Account-level storage lifecycle settings

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | StorageSettings
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UpdateStorageSettingsRequest,
) -> Response[ErrorResponse | StorageSettings]:
    """Update storage settings


    Replaces the account-level storage lifecycle settings applied to newly
    uploaded fal CDN files. Omitted or null fields are cleared (reset to the
    system default), so always send the full desired configuration. Sending an
    empty JSON object `{}` clears all settings. To change a single setting,
    first GET the current settings and PUT the full object back with only that
    field changed.

    A request whose body is not valid JSON (including a zero-length body) or
    whose Content-Type is not `application/json` is rejected with a 400
    `validation_error` and the stored settings are unchanged.

    ACL rules referencing users that do not exist are dropped. The response
    reflects the settings actually saved, so verify it contains the rules you sent.

    These are the same settings that the per-request
    `X-Fal-Object-Lifecycle-Preference` header overrides on individual requests.

    **Authentication:** Required. The API key must have the `account:settings:write` permission.


    Args:
        body (UpdateStorageSettingsRequest): Account-level storage lifecycle settings

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | StorageSettings]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: UpdateStorageSettingsRequest,
) -> ErrorResponse | StorageSettings | None:
    """Update storage settings


    Replaces the account-level storage lifecycle settings applied to newly
    uploaded fal CDN files. Omitted or null fields are cleared (reset to the
    system default), so always send the full desired configuration. Sending an
    empty JSON object `{}` clears all settings. To change a single setting,
    first GET the current settings and PUT the full object back with only that
    field changed.

    A request whose body is not valid JSON (including a zero-length body) or
    whose Content-Type is not `application/json` is rejected with a 400
    `validation_error` and the stored settings are unchanged.

    ACL rules referencing users that do not exist are dropped. The response
    reflects the settings actually saved, so verify it contains the rules you sent.

    These are the same settings that the per-request
    `X-Fal-Object-Lifecycle-Preference` header overrides on individual requests.

    **Authentication:** Required. The API key must have the `account:settings:write` permission.


    Args:
        body (UpdateStorageSettingsRequest): Account-level storage lifecycle settings

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | StorageSettings
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
