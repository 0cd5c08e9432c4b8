from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.entity_list_response import EntityListResponse
from ...models.error_response import ErrorResponse
from ...models.list_asset_entities_types_type_0_item import ListAssetEntitiesTypesType0Item
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    offset: int | None | Unset = 0,
    types: list[ListAssetEntitiesTypesType0Item] | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_offset: int | None | Unset
    if isinstance(offset, Unset):
        json_offset = UNSET
    else:
        json_offset = offset
    params["offset"] = json_offset

    json_types: list[str] | None | Unset
    if isinstance(types, Unset):
        json_types = UNSET
    elif isinstance(types, list):
        json_types = []
        for types_type_0_item_data in types:
            types_type_0_item = types_type_0_item_data.value
            json_types.append(types_type_0_item)

    else:
        json_types = types
    params["types"] = json_types

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/assets/entities",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EntityListResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = EntityListResponse.from_dict(response.json())

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
) -> Response[EntityListResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | None | Unset = 0,
    types: list[ListAssetEntitiesTypesType0Item] | None | Unset = UNSET,
) -> Response[EntityListResponse | ErrorResponse]:
    """List asset entities

     List saved characters, props, environments, styles, and scenes in the authenticated account. Returns
    their @mention handles and defining reference images. Uses limit and offset pagination; omit types
    to include every entity type.

    Args:
        limit (int | Unset): Maximum number of entities to return Default: 50. Example: 50.
        offset (int | None | Unset): Number of entities to skip Default: 0. Example: 0.
        types (list[ListAssetEntitiesTypesType0Item] | None | Unset): Entity types to include,
            comma-separated. Omit to list all types. Example: ['prop', 'environment'].

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityListResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        types=types,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | None | Unset = 0,
    types: list[ListAssetEntitiesTypesType0Item] | None | Unset = UNSET,
) -> EntityListResponse | ErrorResponse | None:
    """List asset entities

     List saved characters, props, environments, styles, and scenes in the authenticated account. Returns
    their @mention handles and defining reference images. Uses limit and offset pagination; omit types
    to include every entity type.

    Args:
        limit (int | Unset): Maximum number of entities to return Default: 50. Example: 50.
        offset (int | None | Unset): Number of entities to skip Default: 0. Example: 0.
        types (list[ListAssetEntitiesTypesType0Item] | None | Unset): Entity types to include,
            comma-separated. Omit to list all types. Example: ['prop', 'environment'].

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityListResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        types=types,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | None | Unset = 0,
    types: list[ListAssetEntitiesTypesType0Item] | None | Unset = UNSET,
) -> Response[EntityListResponse | ErrorResponse]:
    """List asset entities

     List saved characters, props, environments, styles, and scenes in the authenticated account. Returns
    their @mention handles and defining reference images. Uses limit and offset pagination; omit types
    to include every entity type.

    Args:
        limit (int | Unset): Maximum number of entities to return Default: 50. Example: 50.
        offset (int | None | Unset): Number of entities to skip Default: 0. Example: 0.
        types (list[ListAssetEntitiesTypesType0Item] | None | Unset): Entity types to include,
            comma-separated. Omit to list all types. Example: ['prop', 'environment'].

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityListResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        types=types,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | None | Unset = 0,
    types: list[ListAssetEntitiesTypesType0Item] | None | Unset = UNSET,
) -> EntityListResponse | ErrorResponse | None:
    """List asset entities

     List saved characters, props, environments, styles, and scenes in the authenticated account. Returns
    their @mention handles and defining reference images. Uses limit and offset pagination; omit types
    to include every entity type.

    Args:
        limit (int | Unset): Maximum number of entities to return Default: 50. Example: 50.
        offset (int | None | Unset): Number of entities to skip Default: 0. Example: 0.
        types (list[ListAssetEntitiesTypesType0Item] | None | Unset): Entity types to include,
            comma-separated. Omit to list all types. Example: ['prop', 'environment'].

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityListResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            types=types,
        )
    ).parsed
