from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.storage_settings import StorageSettings
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/storage/settings",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | StorageSettings | None:
    if response.status_code == 200:
        response_200 = StorageSettings.from_dict(response.json())

        return response_200

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
) -> Response[ErrorResponse | StorageSettings]:
    """Get storage settings


    Returns the account-level storage lifecycle settings applied to newly uploaded
    fal CDN files:

    - `expiration_duration_seconds`: how long files live before being
      automatically deleted (null disables auto-expiration).
    - `initial_acl`: the default ACL applied to new uploads (null means the
      system default, which is public).

    Both fields are null when the account has never saved settings.

    **Authentication:** Required. The API key must have the `account:settings:read` permission.


    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | StorageSettings]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> ErrorResponse | StorageSettings | None:
    """Get storage settings


    Returns the account-level storage lifecycle settings applied to newly uploaded
    fal CDN files:

    - `expiration_duration_seconds`: how long files live before being
      automatically deleted (null disables auto-expiration).
    - `initial_acl`: the default ACL applied to new uploads (null means the
      system default, which is public).

    Both fields are null when the account has never saved settings.

    **Authentication:** Required. The API key must have the `account:settings:read` permission.


    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | StorageSettings
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[ErrorResponse | StorageSettings]:
    """Get storage settings


    Returns the account-level storage lifecycle settings applied to newly uploaded
    fal CDN files:

    - `expiration_duration_seconds`: how long files live before being
      automatically deleted (null disables auto-expiration).
    - `initial_acl`: the default ACL applied to new uploads (null means the
      system default, which is public).

    Both fields are null when the account has never saved settings.

    **Authentication:** Required. The API key must have the `account:settings:read` permission.


    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | StorageSettings]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> ErrorResponse | StorageSettings | None:
    """Get storage settings


    Returns the account-level storage lifecycle settings applied to newly uploaded
    fal CDN files:

    - `expiration_duration_seconds`: how long files live before being
      automatically deleted (null disables auto-expiration).
    - `initial_acl`: the default ACL applied to new uploads (null means the
      system default, which is public).

    Both fields are null when the account has never saved settings.

    **Authentication:** Required. The API key must have the `account:settings:read` permission.


    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | StorageSettings
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
