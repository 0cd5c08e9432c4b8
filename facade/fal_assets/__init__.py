"""fal-assets: a typed client for fal's Assets and Storage API.

import itertools
from fal_assets import FalAssets
with FalAssets() as client:
    found = list(itertools.islice(client.assets.search("Alice, red hair"), 5))
    character = client.characters.create(name="Alice", description="...", reference_images=found)
"""

from __future__ import annotations

from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    ContentMismatchError,
    DownloadError,
    DownloadFailure,
    FalAssetsError,
    InternalServerError,
    MissingApiKeyError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    SourceChangedError,
    StorageProtocolError,
    UnprocessableEntityError,
    UploadError,
    UploadFailure,
    ValidationError,
)
from ._version import __version__

# Not `typing.TYPE_CHECKING`: `import fal_assets` (and the command line's --help) need not import typing.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fal_assets_api.models.acl_rule import AclRule
    from fal_assets_api.models.asset import Asset
    from fal_assets_api.models.asset_lineage import AssetLineage
    from fal_assets_api.models.asset_lineage_response import AssetLineageResponse
    from fal_assets_api.models.asset_list_response import AssetListResponse
    from fal_assets_api.models.character import Character
    from fal_assets_api.models.collection import Collection
    from fal_assets_api.models.collection_hierarchy_response import CollectionHierarchyResponse
    from fal_assets_api.models.entity import Entity
    from fal_assets_api.models.entity_type import EntityType
    from fal_assets_api.models.file_acl import FileAcl
    from fal_assets_api.models.signed_url_response import SignedUrlResponse
    from fal_assets_api.models.storage_settings import StorageSettings
    from fal_assets_api.models.tag import Tag
    from fal_assets_api.types import UNSET, Unset

    from ._client import AsyncFalAssets, FalAssets
    from ._config import DEFAULT_FAL_HOSTS, UploadSettings
    from ._core.attempt import RequestOptions, WriteOptions
    from ._core.lifecycle import Lifecycle
    from ._downloads import DownloadProgress
    from ._uploads import ProgressCallback, UploadProgress
    from .cast.apply import AppliedChange, ApplyResult
    from .cast.manifest import ManifestError
    from .cast.plan import CharacterChange, FieldChange, Plan
    from .resources._asset_args import AssetRef
    from .resources._params import AssetFilters, CollectionAssetFilters

# Loaded on first use: the clients and their settings (httpx comes with them), names from the generated
# client (which brings attrs), and the types of `characters.plan/apply` (characters as code). So
# `import fal_assets` costs next to nothing (the command line's --help needs no HTTP at all), and
# `from fal_assets import FalAssets` loads what constructing a client needs and no more. The errors load
# eagerly: they need neither httpx nor the generated client.
_LAZY = {
    "AsyncFalAssets": "_client",
    "FalAssets": "_client",
    "DEFAULT_FAL_HOSTS": "_config",
    "UploadSettings": "_config",
    "RequestOptions": "_core.attempt",
    "WriteOptions": "_core.attempt",
    "Lifecycle": "_core.lifecycle",
    "AssetFilters": "resources._params",
    "CollectionAssetFilters": "resources._params",
    "AclRule": "fal_assets_api.models.acl_rule",
    "Asset": "fal_assets_api.models.asset",
    "AssetLineage": "fal_assets_api.models.asset_lineage",
    "AssetLineageResponse": "fal_assets_api.models.asset_lineage_response",
    "AssetListResponse": "fal_assets_api.models.asset_list_response",
    "Character": "fal_assets_api.models.character",
    "Collection": "fal_assets_api.models.collection",
    "CollectionHierarchyResponse": "fal_assets_api.models.collection_hierarchy_response",
    "Entity": "fal_assets_api.models.entity",
    "EntityType": "fal_assets_api.models.entity_type",
    "FileAcl": "fal_assets_api.models.file_acl",
    "SignedUrlResponse": "fal_assets_api.models.signed_url_response",
    "StorageSettings": "fal_assets_api.models.storage_settings",
    "Tag": "fal_assets_api.models.tag",
    "UNSET": "fal_assets_api.types",
    "Unset": "fal_assets_api.types",
    "AppliedChange": "cast.apply",
    "AssetRef": "resources._asset_args",
    "ApplyResult": "cast.apply",
    "CharacterChange": "cast.plan",
    "FieldChange": "cast.plan",
    "ManifestError": "cast.manifest",
    "Plan": "cast.plan",
    "ProgressCallback": "_uploads",
    "DownloadProgress": "_downloads",
    "UploadProgress": "_uploads",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(
        importlib.import_module(module if module.startswith("fal_") else f".{module}", __name__), name
    )
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "DEFAULT_FAL_HOSTS",
    "UNSET",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AclRule",
    "AppliedChange",
    "ApplyResult",
    "Asset",
    "AssetFilters",
    "AssetLineage",
    "AssetLineageResponse",
    "AssetListResponse",
    "AssetRef",
    "AsyncFalAssets",
    "AuthenticationError",
    "BadRequestError",
    "Character",
    "CharacterChange",
    "ClientClosedError",
    "Collection",
    "CollectionAssetFilters",
    "CollectionHierarchyResponse",
    "ConflictError",
    "ContentMismatchError",
    "DownloadError",
    "DownloadFailure",
    "DownloadProgress",
    "Entity",
    "EntityType",
    "FalAssets",
    "FalAssetsError",
    "FieldChange",
    "FileAcl",
    "InternalServerError",
    "Lifecycle",
    "ManifestError",
    "MissingApiKeyError",
    "NotFoundError",
    "PermissionDeniedError",
    "Plan",
    "ProgressCallback",
    "RateLimitError",
    "RequestOptions",
    "ResponseTooLargeError",
    "SignedUrlResponse",
    "SourceChangedError",
    "StorageProtocolError",
    "StorageSettings",
    "Tag",
    "UnprocessableEntityError",
    "Unset",
    "UploadError",
    "UploadFailure",
    "UploadProgress",
    "UploadSettings",
    "ValidationError",
    "WriteOptions",
    "__version__",
]
