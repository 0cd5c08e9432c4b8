"""fal-assets: a typed client for fal's asset-character API.

from fal_assets import FalAssets
with FalAssets() as client:
    character = client.characters.update("d7tatpsregjaga2cf3d0", name="Alice", reference_images=["./alice/"])
"""

from __future__ import annotations

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

# Not `typing.TYPE_CHECKING`: `import fal_assets` (and the command line's --help) need not import typing.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from fal_assets_api.models.character import Character
    from fal_assets_api.types import UNSET, Unset

    from ._apply import AppliedChange, ApplyResult
    from ._budget import RequestOptions, WriteOptions
    from ._client import AsyncFalAssets, FalAssets
    from ._config import DEFAULT_FAL_HOSTS, UploadSettings
    from ._manifest import ManifestError
    from ._plan import CharacterChange, FieldChange, Plan
    from ._uploads import ProgressCallback, UploadProgress

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
    "RequestOptions": "_budget",
    "WriteOptions": "_budget",
    "Character": "fal_assets_api.models.character",
    "UNSET": "fal_assets_api.types",
    "Unset": "fal_assets_api.types",
    "AppliedChange": "_apply",
    "ApplyResult": "_apply",
    "CharacterChange": "_plan",
    "FieldChange": "_plan",
    "ManifestError": "_manifest",
    "Plan": "_plan",
    "ProgressCallback": "_uploads",
    "UploadProgress": "_uploads",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module if "." in module else f".{module}", __name__), name)
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
