"""Which operation a request is: the routing table of the API and storage endpoints, and their auth."""

from __future__ import annotations

import re
from dataclasses import dataclass

API_OPERATIONS = frozenset(
    {
        "listAssetCharacters",
        "createAssetCharacter",
        "getAssetCharacter",
        "updateAssetCharacter",
        "deleteAssetCharacter",
        "favoriteAssetCharacter",
        "unfavoriteAssetCharacter",
    }
)
# fal's Assets library and Storage API operations, under fal's own operationIds (see _core/operations.py).
LIBRARY_OPERATIONS = frozenset(
    {
        "listAssets",
        "getAsset",
        "getAssetLineage",
        "favoriteAsset",
        "unfavoriteAsset",
        "uploadAsset",
        "listAssetTagsForAsset",
        "setAssetTagsForAsset",
        "listAssetCollections",
        "createAssetCollection",
        "getAssetCollection",
        "updateAssetCollection",
        "deleteAssetCollection",
        "getAssetCollectionHierarchy",
        "favoriteAssetCollection",
        "unfavoriteAssetCollection",
        "moveAssetCollection",
        "listAssetCollectionAssets",
        "addAssetToCollection",
        "removeAssetFromCollection",
        "listAssetTags",
        "createAssetTag",
        "updateAssetTag",
        "deleteAssetTag",
        "assignAssetTag",
        "unassignAssetTag",
        "getStorageFileAcl",
        "setStorageFileAcl",
        "signStorageFileUrl",
        "getStorageSettings",
        "updateStorageSettings",
        "listAssetEntities",
        "createAssetEntity",
        "getAssetEntity",
        "updateAssetEntity",
        "deleteAssetEntity",
    }
)
KEY_AUTH = API_OPERATIONS | LIBRARY_OPERATIONS | {"storageToken", "uploadInitiate", "uploadInitiateMultipart"}
BEARER_AUTH = frozenset({"cdnUpload", "multipartInitiate", "multipartPart", "multipartComplete"})


_ROUTES: list[tuple[re.Pattern[str], dict[str, str]]] = [
    (re.compile(r"/v1/assets/characters"), {"GET": "listAssetCharacters", "POST": "createAssetCharacter"}),
    (
        re.compile(r"/v1/assets/characters/(?P<id>[^/]+)"),
        {"GET": "getAssetCharacter", "PATCH": "updateAssetCharacter", "DELETE": "deleteAssetCharacter"},
    ),
    (re.compile(r"/v1/assets/characters/(?P<id>[^/]+)/favorite"), {"POST": "favoriteAssetCharacter"}),
    (re.compile(r"/v1/assets/characters/(?P<id>[^/]+)/unfavorite"), {"POST": "unfavoriteAssetCharacter"}),
    (re.compile(r"/v1/assets/entities"), {"GET": "listAssetEntities", "POST": "createAssetEntity"}),
    (
        re.compile(r"/v1/assets/entities/(?P<id>[^/]+)"),
        {"GET": "getAssetEntity", "PATCH": "updateAssetEntity", "DELETE": "deleteAssetEntity"},
    ),
    # Fixed paths before /v1/assets/{asset_id}: the first pattern that matches decides.
    (re.compile(r"/v1/assets"), {"GET": "listAssets"}),
    (
        re.compile(r"/v1/assets/collections"),
        {"GET": "listAssetCollections", "POST": "createAssetCollection"},
    ),
    (
        re.compile(r"/v1/assets/collections/(?P<id>[^/]+)"),
        {"GET": "getAssetCollection", "PATCH": "updateAssetCollection", "DELETE": "deleteAssetCollection"},
    ),
    (re.compile(r"/v1/assets/collections/(?P<id>[^/]+)/hierarchy"), {"GET": "getAssetCollectionHierarchy"}),
    (re.compile(r"/v1/assets/collections/(?P<id>[^/]+)/favorite"), {"POST": "favoriteAssetCollection"}),
    (re.compile(r"/v1/assets/collections/(?P<id>[^/]+)/unfavorite"), {"POST": "unfavoriteAssetCollection"}),
    (re.compile(r"/v1/assets/collections/(?P<id>[^/]+)/move"), {"POST": "moveAssetCollection"}),
    (
        re.compile(r"/v1/assets/collections/(?P<id>[^/]+)/assets"),
        {
            "GET": "listAssetCollectionAssets",
            "POST": "addAssetToCollection",
            "DELETE": "removeAssetFromCollection",
        },
    ),
    (
        re.compile(r"/v1/assets/tags"),
        {"GET": "listAssetTags", "POST": "createAssetTag", "PUT": "setAssetTagsForAsset"},
    ),
    (re.compile(r"/v1/assets/tags/(?P<id>[^/]+)"), {"PATCH": "updateAssetTag", "DELETE": "deleteAssetTag"}),
    (
        re.compile(r"/v1/assets/tags/(?P<id>[^/]+)/assign"),
        {"POST": "assignAssetTag", "DELETE": "unassignAssetTag"},
    ),
    (re.compile(r"/v1/assets/uploads"), {"POST": "uploadAsset"}),
    (re.compile(r"/v1/assets/favorite"), {"POST": "favoriteAsset"}),
    (re.compile(r"/v1/assets/unfavorite"), {"POST": "unfavoriteAsset"}),
    (re.compile(r"/v1/assets/(?P<id>[^/]+)"), {"GET": "getAsset"}),
    (re.compile(r"/v1/assets/(?P<id>[^/]+)/lineage"), {"GET": "getAssetLineage"}),
    (re.compile(r"/v1/assets/(?P<id>[^/]+)/tags"), {"GET": "listAssetTagsForAsset"}),
    (
        re.compile(r"/v1/storage/files/acl"),
        {"GET": "getStorageFileAcl", "PUT": "setStorageFileAcl"},
    ),
    (re.compile(r"/v1/storage/files/sign"), {"POST": "signStorageFileUrl"}),
    (re.compile(r"/v1/storage/settings"), {"GET": "getStorageSettings", "PUT": "updateStorageSettings"}),
    (re.compile(r"/storage/auth/token"), {"POST": "storageToken"}),
    (re.compile(r"/storage/upload/initiate"), {"POST": "uploadInitiate"}),
    (re.compile(r"/storage/upload/initiate-multipart"), {"POST": "uploadInitiateMultipart"}),
    (re.compile(r"/presigned/(?P<token>[^/]+)"), {"PUT": "presignedPut"}),
    # @fal-ai/client's multipart: the upload URL's path plus /{n} or /complete, its query (signature) kept.
    (re.compile(r"/presigned-multipart/(?P<upload>[^/]+)/complete"), {"POST": "signedMultipartComplete"}),
    (re.compile(r"/presigned-multipart/(?P<upload>[^/]+)/(?P<part>[^/]+)"), {"PUT": "signedMultipartPart"}),
    (re.compile(r"/cdn/files/upload"), {"POST": "cdnUpload"}),
    (re.compile(r"/cdn/files/upload/multipart"), {"POST": "multipartInitiate"}),
    (
        re.compile(r"/cdn/files/(?P<file>.+)/multipart/(?P<upload>[^/]+)/complete"),
        {"POST": "multipartComplete"},
    ),
    (
        re.compile(r"/cdn/files/(?P<file>.+)/multipart/(?P<upload>[^/]+)/(?P<part>[^/]+)"),
        {"PUT": "multipartPart"},
    ),
    (re.compile(r"/cdn/files/(?P<file>.+)"), {"GET": "fileGet", "HEAD": "fileGet"}),
]


@dataclass
class Route:
    operation: str
    params: dict[str, str]
    allowed: tuple[str, ...]


def route(method: str, path: str) -> Route:
    for pattern, methods in _ROUTES:
        match = pattern.fullmatch(path)
        if match:
            operation = methods.get(method, "methodNotAllowed")
            return Route(operation, match.groupdict(), tuple(methods))
    return Route("unknown", {}, ())
