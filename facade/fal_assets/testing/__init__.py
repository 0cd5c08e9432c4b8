"""`fal_assets.testing`: an offline fake of fal's Assets and Storage API and its storage upload endpoints.

Test code that talks to fal without the network::

    from fal_assets.testing import FakeFal

    with FakeFal.serve() as fake:                 # a real HTTP server on 127.0.0.1, random port
        client = FalAssets(**fake.client_kwargs())
        ...
        assert fake.writes_applied["createAssetCharacter"] == 1

    fake = FakeFal()                              # or in-process, no socket at all
    http = httpx.Client(transport=fake.transport())

What it does:

* every operation of openapi.yaml under ``{fake.api_base_url}`` (``/v1/assets/characters...``), with fal's
  rules: ``Authorization: Key <key>`` (401 ``authorization_error`` otherwise), 404 ``not_found``, 422
  ``validation_error`` naming the field, reference IDs resolved to file URLs it serves, ``Idempotency-Key``
  replay for 10 minutes (a reused key with another request is a 422 on create/update, a 400 elsewhere:
  the statuses the spec documents for those operations);
* every other operation under ``/v1/assets`` and ``/v1/storage`` in fal's published document, under fal's
  operationIds (``listAssets``, ``uploadAsset``, ``moveAssetCollection``, ``signStorageFileUrl``...):
  cursors that encode the page number (base64, as fal documents them); search approximated by word
  overlap over prompt and title, with ``similarity`` set (see ``FakeFal``); filters under fal's names;
  collections (manual, smart, and characters as type ``character``) nested at most 5 levels, moves
  checked for kind, depth and cycles; tags; favorites and memberships by exactly one of ``asset_id`` /
  ``request_id`` / ``vector_id``; lineage graphs
  (``FakeFal.add_asset(inputs=..., characters=...)``); file ACLs, signed URLs the CDN honours until they
  expire, account storage settings applied to later uploads, and the ``X-Fal-Object-Lifecycle`` /
  ``X-Fal-Object-Lifecycle-Preference`` upload headers; expired files answer 404. The clock moves with
  ``fake.advance(seconds)``. Rules fal leaves unsaid are chosen and listed in ``FakeFal``'s docstring;
* fal's storage protocol, every route of both official clients (UPLOAD_ROUTES.md beside this file):
  fal-client's ``/storage/auth/token``, ``{cdn}/files/upload``, multipart (``/files/upload/multipart``,
  ``PUT .../multipart/{id}/{n}``, ``POST .../complete``) and its ``initiate?storage_type=gcs`` +
  presigned-PUT fallback; @fal-ai/client's ``initiate?storage_type=fal-cdn-v3`` and
  ``initiate-multipart`` (parts answered as JSON ``{partNumber, etag}``, completion at
  ``{upload_url}/complete``); uploads are hashed while streaming (``fake.files[url].sha256``);
* ``fal-assets fake`` / ``python -m fal_assets.testing``: one served on 127.0.0.1 until Ctrl-C;
* faults (``fail_next``, ``drop_after_write``, ``corrupt_next``, ``latency``) and inspection (``requests``
  with secrets masked, ``characters``, ``assets``, ``collections``, ``tags``, ``storage_settings``,
  ``files``, ``counts``, ``writes_applied``, ``peak_concurrency``) on every operation.

The pytest plugin (``fal_fake``, ``fal_fake_client``, ``fal_fake_async_client`` fixtures) is registered
automatically when this package is installed; see ``fal_assets.testing.pytest_plugin``.
"""

from __future__ import annotations

from ._fake import FakeFal
from ._models import RecordedRequest, StoredFile

__all__ = ["FakeFal", "RecordedRequest", "StoredFile"]
