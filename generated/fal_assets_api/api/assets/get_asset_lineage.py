from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset_lineage_response import AssetLineageResponse
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    asset_id: str,
    *,
    depth: int | Unset = 5,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["depth"] = depth

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/assets/{asset_id}/lineage".format(
            asset_id=quote(str(asset_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AssetLineageResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AssetLineageResponse.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = ErrorResponse.from_dict(response.json())

        return response_502

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AssetLineageResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    asset_id: str,
    *,
    client: AuthenticatedClient,
    depth: int | Unset = 5,
) -> Response[AssetLineageResponse | ErrorResponse]:
    """Get asset lineage

     Get the derivation lineage of an asset by asset ID: the inputs it was generated from, the generation
    requests along the way, and any referenced smart entities, traversed recursively up to `depth`
    levels. Deleted or expired ancestors stay in the graph flagged as tombstones; inputs that were never
    captured appear as external inputs.

    Args:
        asset_id (str): Asset ID Example: d8b6elcregj72v34jr8g.
        depth (int | Unset): Maximum traversal depth (levels of derivation edges) Default: 5.
            Example: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetLineageResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        asset_id=asset_id,
        depth=depth,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    asset_id: str,
    *,
    client: AuthenticatedClient,
    depth: int | Unset = 5,
) -> AssetLineageResponse | ErrorResponse | None:
    """Get asset lineage

     Get the derivation lineage of an asset by asset ID: the inputs it was generated from, the generation
    requests along the way, and any referenced smart entities, traversed recursively up to `depth`
    levels. Deleted or expired ancestors stay in the graph flagged as tombstones; inputs that were never
    captured appear as external inputs.

    Args:
        asset_id (str): Asset ID Example: d8b6elcregj72v34jr8g.
        depth (int | Unset): Maximum traversal depth (levels of derivation edges) Default: 5.
            Example: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetLineageResponse | ErrorResponse
    """

    return sync_detailed(
        asset_id=asset_id,
        client=client,
        depth=depth,
    ).parsed


async def asyncio_detailed(
    asset_id: str,
    *,
    client: AuthenticatedClient,
    depth: int | Unset = 5,
) -> Response[AssetLineageResponse | ErrorResponse]:
    """Get asset lineage

     Get the derivation lineage of an asset by asset ID: the inputs it was generated from, the generation
    requests along the way, and any referenced smart entities, traversed recursively up to `depth`
    levels. Deleted or expired ancestors stay in the graph flagged as tombstones; inputs that were never
    captured appear as external inputs.

    Args:
        asset_id (str): Asset ID Example: d8b6elcregj72v34jr8g.
        depth (int | Unset): Maximum traversal depth (levels of derivation edges) Default: 5.
            Example: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetLineageResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        asset_id=asset_id,
        depth=depth,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    asset_id: str,
    *,
    client: AuthenticatedClient,
    depth: int | Unset = 5,
) -> AssetLineageResponse | ErrorResponse | None:
    """Get asset lineage

     Get the derivation lineage of an asset by asset ID: the inputs it was generated from, the generation
    requests along the way, and any referenced smart entities, traversed recursively up to `depth`
    levels. Deleted or expired ancestors stay in the graph flagged as tombstones; inputs that were never
    captured appear as external inputs.

    Args:
        asset_id (str): Asset ID Example: d8b6elcregj72v34jr8g.
        depth (int | Unset): Maximum traversal depth (levels of derivation edges) Default: 5.
            Example: 5.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetLineageResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            asset_id=asset_id,
            client=client,
            depth=depth,
        )
    ).parsed
