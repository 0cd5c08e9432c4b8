from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_entity_request import CreateEntityRequest
from ...models.entity_response import EntityResponse
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateEntityRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/assets/entities",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EntityResponse | ErrorResponse | None:
    if response.status_code == 201:
        response_201 = EntityResponse.from_dict(response.json())

        return response_201

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
) -> Response[EntityResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateEntityRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[EntityResponse | ErrorResponse]:
    """Create asset entity

     Create a reusable character, prop, environment, style, or scene in fal Assets. The entity is
    available to @mention in the UI and agent. The handle defaults from the name and must be unique
    across all entity types in the account. Characters require a description. Reference images accept
    saved asset IDs, request IDs, vector IDs, or fal-hosted image URLs. Existing character endpoints
    remain supported.

    Args:
        idempotency_key (str | Unset): Optional idempotency key for safe request retries Example:
            550e8400-e29b-41d4-a716-446655440000.
        body (CreateEntityRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateEntityRequest,
    idempotency_key: str | Unset = UNSET,
) -> EntityResponse | ErrorResponse | None:
    """Create asset entity

     Create a reusable character, prop, environment, style, or scene in fal Assets. The entity is
    available to @mention in the UI and agent. The handle defaults from the name and must be unique
    across all entity types in the account. Characters require a description. Reference images accept
    saved asset IDs, request IDs, vector IDs, or fal-hosted image URLs. Existing character endpoints
    remain supported.

    Args:
        idempotency_key (str | Unset): Optional idempotency key for safe request retries Example:
            550e8400-e29b-41d4-a716-446655440000.
        body (CreateEntityRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateEntityRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[EntityResponse | ErrorResponse]:
    """Create asset entity

     Create a reusable character, prop, environment, style, or scene in fal Assets. The entity is
    available to @mention in the UI and agent. The handle defaults from the name and must be unique
    across all entity types in the account. Characters require a description. Reference images accept
    saved asset IDs, request IDs, vector IDs, or fal-hosted image URLs. Existing character endpoints
    remain supported.

    Args:
        idempotency_key (str | Unset): Optional idempotency key for safe request retries Example:
            550e8400-e29b-41d4-a716-446655440000.
        body (CreateEntityRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntityResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateEntityRequest,
    idempotency_key: str | Unset = UNSET,
) -> EntityResponse | ErrorResponse | None:
    """Create asset entity

     Create a reusable character, prop, environment, style, or scene in fal Assets. The entity is
    available to @mention in the UI and agent. The handle defaults from the name and must be unique
    across all entity types in the account. Characters require a description. Reference images accept
    saved asset IDs, request IDs, vector IDs, or fal-hosted image URLs. Existing character endpoints
    remain supported.

    Args:
        idempotency_key (str | Unset): Optional idempotency key for safe request retries Example:
            550e8400-e29b-41d4-a716-446655440000.
        body (CreateEntityRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntityResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
