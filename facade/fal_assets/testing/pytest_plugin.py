"""pytest fixtures for code that uses fal_assets, registered through the ``pytest11`` entry point.

* ``fal_fake``: a served :class:`~fal_assets.testing.FakeFal` (real HTTP on 127.0.0.1), stopped afterwards.
* ``fal_fake_client``: a ``fal_assets.FalAssets`` wired to ``fal_fake``, closed afterwards.
* ``fal_fake_async_client``: an ``AsyncFalAssets`` wired to ``fal_fake``, *not yet entered*. Fixtures here
  are plain (no async plugin is required), so enter it in the test, which also closes it::

      async def test_something(fal_fake_async_client):
          async with fal_fake_async_client as client:
              await client.characters.list()

The fixtures are not named ``fal_client``: that name belongs to fal's own package.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ._fake import FakeFal

if TYPE_CHECKING:
    from fal_assets import AsyncFalAssets, FalAssets


@pytest.fixture
def fal_fake() -> Iterator[FakeFal]:
    with FakeFal.serve() as fake:
        yield fake


@pytest.fixture
def fal_fake_client(fal_fake: FakeFal) -> Iterator[FalAssets]:
    # Imported here: the plugin is loaded by every pytest run in the environment, and the client
    # package must not be imported (or even exist yet) just for that.
    from fal_assets import FalAssets

    client = FalAssets(**fal_fake.client_kwargs())
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def fal_fake_async_client(fal_fake: FakeFal) -> AsyncFalAssets:
    from fal_assets import AsyncFalAssets

    return AsyncFalAssets(**fal_fake.client_kwargs())
