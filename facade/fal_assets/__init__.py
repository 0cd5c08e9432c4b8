"""fal-assets: a typed client for fal's asset-character API.

from fal_assets import FalAssets
with FalAssets() as client:
    character = client.characters.update("d7tatpsregjaga2cf3d0", name="Alice", reference_images=["./alice/"])
"""

from typing import TYPE_CHECKING, Any

from fal_assets_api.models.character import Character
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
from ._version import __version__

if TYPE_CHECKING:
    from ._apply import AppliedChange, ApplyResult
    from ._manifest import ManifestError
    from ._plan import CharacterChange, FieldChange, Plan
    from ._uploads import ProgressCallback, UploadProgress

# Names of the upload engine, which loads on first use (see _client.py).
_LAZY = {"ProgressCallback", "UploadProgress"}


# Types of `characters.plan/apply` (characters as code), also loaded on first use.
_LAZY_PLAN = {
    "AppliedChange": "_apply",
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
    "AppliedChange",
    "ApplyResult",
    "AsyncFalAssets",
    "AuthenticationError",
    "BadRequestError",
    "Character",
    "CharacterChange",
    "ConflictError",
    "FalAssets",
    "FalAssetsError",
    "FieldChange",
    "InternalServerError",
    "ManifestError",
    "MissingApiKeyError",
    "NotFoundError",
    "PermissionDeniedError",
    "Plan",
    "ProgressCallback",
    "RateLimitError",
    "RequestOptions",
    "ResponseTooLargeError",
    "SourceChangedError",
    "StorageProtocolError",
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
