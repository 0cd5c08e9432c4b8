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
    from ._uploads import ProgressCallback, UploadProgress

# Names of the upload engine, which loads on first use (see _client.py).
_LAZY = {"ProgressCallback", "UploadProgress"}


def __getattr__(name: str) -> Any:
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
    "AsyncFalAssets",
    "AuthenticationError",
    "BadRequestError",
    "Character",
    "ConflictError",
    "FalAssets",
    "FalAssetsError",
    "InternalServerError",
    "MissingApiKeyError",
    "NotFoundError",
    "PermissionDeniedError",
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
