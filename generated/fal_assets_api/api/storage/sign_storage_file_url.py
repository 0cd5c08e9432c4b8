from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.sign_file_url_request import SignFileUrlRequest
from ...models.signed_url_response import SignedUrlResponse
from ...types import UNSET, Response


def _get_kwargs(
    *,
    body: SignFileUrlRequest,
    url_query: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["url"] = url_query

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/storage/files/sign",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SignedUrlResponse | None:
    if response.status_code == 200:
        response_200 = SignedUrlResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | SignedUrlResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SignFileUrlRequest,
    url_query: str,
) -> Response[ErrorResponse | SignedUrlResponse]:
    """Sign file URL


    Creates a signed URL that grants temporary access to a fal CDN file,
    regardless of its ACL. Useful for sharing access-restricted files.

    The signature is valid for `expiration_seconds` (up to 7 days).

    **Authentication:** Required. The API key must have the `assets:read` permission.


    Args:
        url_query (str): Full URL of the fal CDN file, as returned by the upload APIs
            (https://v3.fal.media/files/b/<id>/<filename>). Must not contain query parameters.
            Example: https://v3.fal.media/files/b/0a1b2c3d/output.png.
        body (SignFileUrlRequest): Signing options for the file URL

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SignedUrlResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        url_query=url_query,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SignFileUrlRequest,
    url_query: str,
) -> ErrorResponse | SignedUrlResponse | None:
    """Sign file URL


    Creates a signed URL that grants temporary access to a fal CDN file,
    regardless of its ACL. Useful for sharing access-restricted files.

    The signature is valid for `expiration_seconds` (up to 7 days).

    **Authentication:** Required. The API key must have the `assets:read` permission.


    Args:
        url_query (str): Full URL of the fal CDN file, as returned by the upload APIs
            (https://v3.fal.media/files/b/<id>/<filename>). Must not contain query parameters.
            Example: https://v3.fal.media/files/b/0a1b2c3d/output.png.
        body (SignFileUrlRequest): Signing options for the file URL

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SignedUrlResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        url_query=url_query,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SignFileUrlRequest,
    url_query: str,
) -> Response[ErrorResponse | SignedUrlResponse]:
    """Sign file URL


    Creates a signed URL that grants temporary access to a fal CDN file,
    regardless of its ACL. Useful for sharing access-restricted files.

    The signature is valid for `expiration_seconds` (up to 7 days).

    **Authentication:** Required. The API key must have the `assets:read` permission.


    Args:
        url_query (str): Full URL of the fal CDN file, as returned by the upload APIs
            (https://v3.fal.media/files/b/<id>/<filename>). Must not contain query parameters.
            Example: https://v3.fal.media/files/b/0a1b2c3d/output.png.
        body (SignFileUrlRequest): Signing options for the file URL

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SignedUrlResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        url_query=url_query,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SignFileUrlRequest,
    url_query: str,
) -> ErrorResponse | SignedUrlResponse | None:
    """Sign file URL


    Creates a signed URL that grants temporary access to a fal CDN file,
    regardless of its ACL. Useful for sharing access-restricted files.

    The signature is valid for `expiration_seconds` (up to 7 days).

    **Authentication:** Required. The API key must have the `assets:read` permission.


    Args:
        url_query (str): Full URL of the fal CDN file, as returned by the upload APIs
            (https://v3.fal.media/files/b/<id>/<filename>). Must not contain query parameters.
            Example: https://v3.fal.media/files/b/0a1b2c3d/output.png.
        body (SignFileUrlRequest): Signing options for the file URL

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SignedUrlResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            url_query=url_query,
        )
    ).parsed
