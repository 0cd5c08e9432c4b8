from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.asset_list_response import AssetListResponse
from ...models.error_response import ErrorResponse
from ...models.list_assets_media_type_type_0_item import ListAssetsMediaTypeType0Item
from ...models.list_assets_section import ListAssetsSection
from ...models.list_assets_source_type_0_item import ListAssetsSourceType0Item
from ...models.list_assets_tag_mode import ListAssetsTagMode
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    q: str | Unset = UNSET,
    search_image_url: str | Unset = UNSET,
    search_video_url: str | Unset = UNSET,
    media_type: list[ListAssetsMediaTypeType0Item] | None | Unset = UNSET,
    source: list[ListAssetsSourceType0Item] | None | Unset = UNSET,
    section: ListAssetsSection | Unset = ListAssetsSection.ALL_MEDIA,
    collection_id: str | Unset = UNSET,
    character_identifier: list[str] | None | Unset = UNSET,
    tag_id: list[str] | None | Unset = UNSET,
    tag_mode: ListAssetsTagMode | Unset = ListAssetsTagMode.ANY,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["q"] = q

    params["search_image_url"] = search_image_url

    params["search_video_url"] = search_video_url

    json_media_type: list[str] | None | Unset
    if isinstance(media_type, Unset):
        json_media_type = UNSET
    elif isinstance(media_type, list):
        json_media_type = []
        for media_type_type_0_item_data in media_type:
            media_type_type_0_item = media_type_type_0_item_data.value
            json_media_type.append(media_type_type_0_item)

    else:
        json_media_type = media_type
    params["media_type"] = json_media_type

    json_source: list[str] | None | Unset
    if isinstance(source, Unset):
        json_source = UNSET
    elif isinstance(source, list):
        json_source = []
        for source_type_0_item_data in source:
            source_type_0_item = source_type_0_item_data.value
            json_source.append(source_type_0_item)

    else:
        json_source = source
    params["source"] = json_source

    json_section: str | Unset = UNSET
    if not isinstance(section, Unset):
        json_section = section.value

    params["section"] = json_section

    params["collection_id"] = collection_id

    json_character_identifier: list[str] | None | Unset
    if isinstance(character_identifier, Unset):
        json_character_identifier = UNSET
    elif isinstance(character_identifier, list):
        json_character_identifier = character_identifier

    else:
        json_character_identifier = character_identifier
    params["character_identifier"] = json_character_identifier

    json_tag_id: list[str] | None | Unset
    if isinstance(tag_id, Unset):
        json_tag_id = UNSET
    elif isinstance(tag_id, list):
        json_tag_id = tag_id

    else:
        json_tag_id = tag_id
    params["tag_id"] = json_tag_id

    json_tag_mode: str | Unset = UNSET
    if not isinstance(tag_mode, Unset):
        json_tag_mode = tag_mode.value

    params["tag_mode"] = json_tag_mode

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/assets",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AssetListResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = AssetListResponse.from_dict(response.json())

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
) -> Response[AssetListResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    q: str | Unset = UNSET,
    search_image_url: str | Unset = UNSET,
    search_video_url: str | Unset = UNSET,
    media_type: list[ListAssetsMediaTypeType0Item] | None | Unset = UNSET,
    source: list[ListAssetsSourceType0Item] | None | Unset = UNSET,
    section: ListAssetsSection | Unset = ListAssetsSection.ALL_MEDIA,
    collection_id: str | Unset = UNSET,
    character_identifier: list[str] | None | Unset = UNSET,
    tag_id: list[str] | None | Unset = UNSET,
    tag_mode: ListAssetsTagMode | Unset = ListAssetsTagMode.ANY,
) -> Response[AssetListResponse | ErrorResponse]:
    """Browse assets

     Browse and semantically search fal Assets across all media, uploads, favorites, collections, tags,
    and character references.

    Args:
        limit (int | Unset): Maximum number of items to return. Actual maximum depends on query
            type and expansion parameters. Example: 50.
        cursor (str | Unset): Pagination cursor from previous response. Encodes the page number.
            Example: Mg==.
        q (str | Unset): Text query for hybrid semantic search Example: cinematic portrait.
        search_image_url (str | Unset): fal-hosted image URL to use for semantic image search
            Example:
            https://v3b.fal.media/files/b/0a9b4900/PDbTGyzqRh1aijW2WQiY9_opengraph-1%20%281%29.png.
        search_video_url (str | Unset): fal-hosted video URL to use for semantic video search
            Example: https://fal.media/files/example.mp4.
        media_type (list[ListAssetsMediaTypeType0Item] | None | Unset): Filter by one or more
            media types Example: ['image', 'video'].
        source (list[ListAssetsSourceType0Item] | None | Unset): Filter by one or more indexed
            sources Example: ['upload', 'response'].
        section (ListAssetsSection | Unset): Asset library section to browse Default:
            ListAssetsSection.ALL_MEDIA. Example: all-media.
        collection_id (str | Unset): Collection scope to browse Example: d8b6elcregj72v34jr8g.
        character_identifier (list[str] | None | Unset): Character identifiers to use as @mention
            semantic filters Example: ['alice'].
        tag_id (list[str] | None | Unset): Tag IDs to filter by Example: ['d9k7q2m4n6p8r1s3t5uv'].
        tag_mode (ListAssetsTagMode | Unset): Whether tag filters match any tag or all tags
            Default: ListAssetsTagMode.ANY. Example: any.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetListResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        q=q,
        search_image_url=search_image_url,
        search_video_url=search_video_url,
        media_type=media_type,
        source=source,
        section=section,
        collection_id=collection_id,
        character_identifier=character_identifier,
        tag_id=tag_id,
        tag_mode=tag_mode,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    q: str | Unset = UNSET,
    search_image_url: str | Unset = UNSET,
    search_video_url: str | Unset = UNSET,
    media_type: list[ListAssetsMediaTypeType0Item] | None | Unset = UNSET,
    source: list[ListAssetsSourceType0Item] | None | Unset = UNSET,
    section: ListAssetsSection | Unset = ListAssetsSection.ALL_MEDIA,
    collection_id: str | Unset = UNSET,
    character_identifier: list[str] | None | Unset = UNSET,
    tag_id: list[str] | None | Unset = UNSET,
    tag_mode: ListAssetsTagMode | Unset = ListAssetsTagMode.ANY,
) -> AssetListResponse | ErrorResponse | None:
    """Browse assets

     Browse and semantically search fal Assets across all media, uploads, favorites, collections, tags,
    and character references.

    Args:
        limit (int | Unset): Maximum number of items to return. Actual maximum depends on query
            type and expansion parameters. Example: 50.
        cursor (str | Unset): Pagination cursor from previous response. Encodes the page number.
            Example: Mg==.
        q (str | Unset): Text query for hybrid semantic search Example: cinematic portrait.
        search_image_url (str | Unset): fal-hosted image URL to use for semantic image search
            Example:
            https://v3b.fal.media/files/b/0a9b4900/PDbTGyzqRh1aijW2WQiY9_opengraph-1%20%281%29.png.
        search_video_url (str | Unset): fal-hosted video URL to use for semantic video search
            Example: https://fal.media/files/example.mp4.
        media_type (list[ListAssetsMediaTypeType0Item] | None | Unset): Filter by one or more
            media types Example: ['image', 'video'].
        source (list[ListAssetsSourceType0Item] | None | Unset): Filter by one or more indexed
            sources Example: ['upload', 'response'].
        section (ListAssetsSection | Unset): Asset library section to browse Default:
            ListAssetsSection.ALL_MEDIA. Example: all-media.
        collection_id (str | Unset): Collection scope to browse Example: d8b6elcregj72v34jr8g.
        character_identifier (list[str] | None | Unset): Character identifiers to use as @mention
            semantic filters Example: ['alice'].
        tag_id (list[str] | None | Unset): Tag IDs to filter by Example: ['d9k7q2m4n6p8r1s3t5uv'].
        tag_mode (ListAssetsTagMode | Unset): Whether tag filters match any tag or all tags
            Default: ListAssetsTagMode.ANY. Example: any.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetListResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        q=q,
        search_image_url=search_image_url,
        search_video_url=search_video_url,
        media_type=media_type,
        source=source,
        section=section,
        collection_id=collection_id,
        character_identifier=character_identifier,
        tag_id=tag_id,
        tag_mode=tag_mode,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    q: str | Unset = UNSET,
    search_image_url: str | Unset = UNSET,
    search_video_url: str | Unset = UNSET,
    media_type: list[ListAssetsMediaTypeType0Item] | None | Unset = UNSET,
    source: list[ListAssetsSourceType0Item] | None | Unset = UNSET,
    section: ListAssetsSection | Unset = ListAssetsSection.ALL_MEDIA,
    collection_id: str | Unset = UNSET,
    character_identifier: list[str] | None | Unset = UNSET,
    tag_id: list[str] | None | Unset = UNSET,
    tag_mode: ListAssetsTagMode | Unset = ListAssetsTagMode.ANY,
) -> Response[AssetListResponse | ErrorResponse]:
    """Browse assets

     Browse and semantically search fal Assets across all media, uploads, favorites, collections, tags,
    and character references.

    Args:
        limit (int | Unset): Maximum number of items to return. Actual maximum depends on query
            type and expansion parameters. Example: 50.
        cursor (str | Unset): Pagination cursor from previous response. Encodes the page number.
            Example: Mg==.
        q (str | Unset): Text query for hybrid semantic search Example: cinematic portrait.
        search_image_url (str | Unset): fal-hosted image URL to use for semantic image search
            Example:
            https://v3b.fal.media/files/b/0a9b4900/PDbTGyzqRh1aijW2WQiY9_opengraph-1%20%281%29.png.
        search_video_url (str | Unset): fal-hosted video URL to use for semantic video search
            Example: https://fal.media/files/example.mp4.
        media_type (list[ListAssetsMediaTypeType0Item] | None | Unset): Filter by one or more
            media types Example: ['image', 'video'].
        source (list[ListAssetsSourceType0Item] | None | Unset): Filter by one or more indexed
            sources Example: ['upload', 'response'].
        section (ListAssetsSection | Unset): Asset library section to browse Default:
            ListAssetsSection.ALL_MEDIA. Example: all-media.
        collection_id (str | Unset): Collection scope to browse Example: d8b6elcregj72v34jr8g.
        character_identifier (list[str] | None | Unset): Character identifiers to use as @mention
            semantic filters Example: ['alice'].
        tag_id (list[str] | None | Unset): Tag IDs to filter by Example: ['d9k7q2m4n6p8r1s3t5uv'].
        tag_mode (ListAssetsTagMode | Unset): Whether tag filters match any tag or all tags
            Default: ListAssetsTagMode.ANY. Example: any.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetListResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        q=q,
        search_image_url=search_image_url,
        search_video_url=search_video_url,
        media_type=media_type,
        source=source,
        section=section,
        collection_id=collection_id,
        character_identifier=character_identifier,
        tag_id=tag_id,
        tag_mode=tag_mode,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    q: str | Unset = UNSET,
    search_image_url: str | Unset = UNSET,
    search_video_url: str | Unset = UNSET,
    media_type: list[ListAssetsMediaTypeType0Item] | None | Unset = UNSET,
    source: list[ListAssetsSourceType0Item] | None | Unset = UNSET,
    section: ListAssetsSection | Unset = ListAssetsSection.ALL_MEDIA,
    collection_id: str | Unset = UNSET,
    character_identifier: list[str] | None | Unset = UNSET,
    tag_id: list[str] | None | Unset = UNSET,
    tag_mode: ListAssetsTagMode | Unset = ListAssetsTagMode.ANY,
) -> AssetListResponse | ErrorResponse | None:
    """Browse assets

     Browse and semantically search fal Assets across all media, uploads, favorites, collections, tags,
    and character references.

    Args:
        limit (int | Unset): Maximum number of items to return. Actual maximum depends on query
            type and expansion parameters. Example: 50.
        cursor (str | Unset): Pagination cursor from previous response. Encodes the page number.
            Example: Mg==.
        q (str | Unset): Text query for hybrid semantic search Example: cinematic portrait.
        search_image_url (str | Unset): fal-hosted image URL to use for semantic image search
            Example:
            https://v3b.fal.media/files/b/0a9b4900/PDbTGyzqRh1aijW2WQiY9_opengraph-1%20%281%29.png.
        search_video_url (str | Unset): fal-hosted video URL to use for semantic video search
            Example: https://fal.media/files/example.mp4.
        media_type (list[ListAssetsMediaTypeType0Item] | None | Unset): Filter by one or more
            media types Example: ['image', 'video'].
        source (list[ListAssetsSourceType0Item] | None | Unset): Filter by one or more indexed
            sources Example: ['upload', 'response'].
        section (ListAssetsSection | Unset): Asset library section to browse Default:
            ListAssetsSection.ALL_MEDIA. Example: all-media.
        collection_id (str | Unset): Collection scope to browse Example: d8b6elcregj72v34jr8g.
        character_identifier (list[str] | None | Unset): Character identifiers to use as @mention
            semantic filters Example: ['alice'].
        tag_id (list[str] | None | Unset): Tag IDs to filter by Example: ['d9k7q2m4n6p8r1s3t5uv'].
        tag_mode (ListAssetsTagMode | Unset): Whether tag filters match any tag or all tags
            Default: ListAssetsTagMode.ANY. Example: any.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetListResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            q=q,
            search_image_url=search_image_url,
            search_video_url=search_video_url,
            media_type=media_type,
            source=source,
            section=section,
            collection_id=collection_id,
            character_identifier=character_identifier,
            tag_id=tag_id,
            tag_mode=tag_mode,
        )
    ).parsed
