"""fal-assets: a typed client for fal's Assets and Storage API.

import itertools
from fal_assets import FalAssets
with FalAssets() as client:
    found = list(itertools.islice(client.assets.search("Alice, red hair"), 5))
    character = client.characters.create(name="Alice", description="...", reference_images=found)
"""

from typing import TYPE_CHECKING, Any

from fal_assets_api.models.acl_rule import AclRule
from fal_assets_api.models.asset import Asset
from fal_assets_api.models.asset_lineage import AssetLineage
from fal_assets_api.models.asset_lineage_response import AssetLineageResponse
from fal_assets_api.models.asset_list_response import AssetListResponse
from fal_assets_api.models.character import Character
from fal_assets_api.models.collection import Collection
from fal_assets_api.models.collection_hierarchy_response import CollectionHierarchyResponse
from fal_assets_api.models.file_acl import FileAcl
from fal_assets_api.models.signed_url_response import SignedUrlResponse
from fal_assets_api.models.storage_settings import StorageSettings
from fal_assets_api.models.tag import Tag
from fal_assets_api.types import UNSET, Unset

from ._budget import RequestOptions, WriteOptions
from ._client import AsyncFalAssets, FalAssets
from ._config import DEFAULT_FAL_HOSTS, UploadSettings
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
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
from ._lifecycle import Lifecycle
from ._params import AssetFilters, CollectionAssetFilters
from ._version import __version__

if TYPE_CHECKING:
    from ._apply import AppliedChange, ApplyResult
    from ._asset_args import AssetRef
    from ._manifest import ManifestError
    from ._plan import CharacterChange, FieldChange, Plan
    from ._uploads import ProgressCallback, UploadProgress

# Names of the upload engine, which loads on first use (see _client.py).
_LAZY = {"ProgressCallback", "UploadProgress"}


# Types of `characters.plan/apply` (characters as code), also loaded on first use.
_LAZY_PLAN = {
    "AppliedChange": "_apply",
    "AssetRef": "_asset_args",  # loads with client.assets (typing only)
    "ApplyResult": "_apply",
    "CharacterChange": "_plan",
    "FieldChange": "_plan",
    "ManifestError": "_manifest",
    "Plan": "_plan",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY_PLAN:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY_PLAN[name]}", __name__), name)
    if name in _LAZY:
        from . import _uploads

        return getattr(_uploads, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "Collection",
    "CollectionAssetFilters",
    "CollectionHierarchyResponse",
    "ConflictError",
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
