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
KEY_AUTH = API_OPERATIONS | {"storageToken", "uploadInitiate"}
BEARER_AUTH = frozenset({"cdnUpload", "multipartInitiate", "multipartPart", "multipartComplete"})


_ROUTES: list[tuple[re.Pattern[str], dict[str, str]]] = [
    (re.compile(r"/v1/assets/characters"), {"GET": "listAssetCharacters", "POST": "createAssetCharacter"}),
    (
        re.compile(r"/v1/assets/characters/(?P<id>[^/]+)"),
        {"GET": "getAssetCharacter", "PATCH": "updateAssetCharacter", "DELETE": "deleteAssetCharacter"},
    ),
    (re.compile(r"/v1/assets/characters/(?P<id>[^/]+)/favorite"), {"POST": "favoriteAssetCharacter"}),
    (re.compile(r"/v1/assets/characters/(?P<id>[^/]+)/unfavorite"), {"POST": "unfavoriteAssetCharacter"}),
    (re.compile(r"/storage/auth/token"), {"POST": "storageToken"}),
    (re.compile(r"/storage/upload/initiate"), {"POST": "uploadInitiate"}),
    (re.compile(r"/presigned/(?P<token>[^/]+)"), {"PUT": "presignedPut"}),
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
