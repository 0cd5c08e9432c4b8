"""Which operation a request is: the routing table of the API and storage endpoints, and their auth."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fal_assets_api.operations import OPERATIONS

# The character operations, which the fake serves from its own store of characters (_state.py).
API_OPERATIONS = frozenset(op.name for op in OPERATIONS.values() if op.path.startswith("/assets/characters"))
# The rest of fal's Assets library and Storage API operations, served by the handlers (_handlers.py).
LIBRARY_OPERATIONS = frozenset(OPERATIONS) - API_OPERATIONS
KEY_AUTH = API_OPERATIONS | LIBRARY_OPERATIONS | {"storageToken", "uploadInitiate", "uploadInitiateMultipart"}
BEARER_AUTH = frozenset({"cdnUpload", "multipartInitiate", "multipartPart", "multipartComplete"})


def _spec_routes() -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """The routes of the spec's operations, under the API's /v1: at each path template its methods. Templates
    are tried in the order of their segments, a fixed segment before a parameter (OpenAPI's rule), so that
    /v1/assets/collections is never read as /v1/assets/{asset_id}; a path parameter is matched as `id`."""
    by_path: dict[str, dict[str, str]] = {}
    for op in OPERATIONS.values():
        by_path.setdefault(op.path, {})[op.method] = op.name
    ordered = sorted(by_path, key=lambda path: [segment.startswith("{") for segment in path.split("/")])
    return [
        (re.compile("/v1" + re.sub(r"\{\w+\}", "(?P<id>[^/]+)", path)), by_path[path]) for path in ordered
    ]


_ROUTES: list[tuple[re.Pattern[str], dict[str, str]]] = [
    *_spec_routes(),
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
