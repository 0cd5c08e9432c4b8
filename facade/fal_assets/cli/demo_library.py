"""The demo's library act: local images become tagged, collected library assets; a search finds them; a
character is made from the found assets; its cover gets a signed URL that the (private) CDN honours."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Protocol

import httpx

from .._client import FalAssets
from .._core.lifecycle import Lifecycle
from .library_output import assets_table

__all__ = ["library_act"]

_PROMPTS = {
    "01-red.png": "Alice, red hair, warm light",
    "02-green.png": "Alice, red hair, in a green park",
    "03-blue.png": "Alice, red hair, under a blue sky",
}


class _Out(Protocol):
    def line(self, text: str = "") -> None: ...
    def step(self, title: str, command: str) -> None: ...


def library_act(out: _Out, client: FalAssets, refs: Path, extra: Path, http: httpx.Client) -> None:
    def show(text: str) -> None:
        for row in text.splitlines():
            out.line(f"   {row}")

    tag = client.tags.create("alice")
    album = client.collections.create("Alice references")
    private = Lifecycle(
        initial_acl="forbid"
    )  # strangers get 403 from the CDN; the owner and signed URLs pass
    out.step(
        "Register local images as library assets, tagged, collected and private",
        f"fal-assets assets upload refs/01-red.png --prompt '...' --tag {tag.id} --collection {album.id}",
    )
    for path in sorted(refs.iterdir()):
        asset = client.assets.upload(
            path, prompt=_PROMPTS[path.name], tag_ids=[tag.id], collection_id=album.id, lifecycle=private
        )
        out.line(f"   {asset.asset_id}  {asset.type_}  {asset.prompt}")
    client.assets.upload(extra, prompt="A yellow sun over the sea", lifecycle=private)
    out.line("   (and extra.png, 'A yellow sun over the sea', outside the collection)")

    out.step("Search the library", "fal-assets assets search 'Alice with red hair'")
    found = list(itertools.islice(client.assets.search("Alice with red hair"), 5))
    show(assets_table(found, similarity=True))

    out.step(
        "Create a character from the found assets (they become their vector IDs)",
        "client.characters.create(name='Alice', ..., reference_images=found, cover_image=found[0].url)",
    )
    character = client.characters.create(
        name="Alice",
        description="Red hair, found in the library",
        reference_images=found,
        cover_image=found[0].url,
    )
    out.line(f"   created {character.id} with {len(character.reference_images or ())} references")
    assert character.cover_image_url is not None

    out.step("Sign its cover URL for an hour", f"fal-assets storage sign {character.cover_image_url}")
    signed = client.storage.sign(character.cover_image_url, expires_in=3600)
    out.line(f"   {signed}")
    unsigned_status = http.get(character.cover_image_url).status_code
    signed_status = http.get(signed).status_code
    out.line(f"   the CDN answers {unsigned_status} without the signature, {signed_status} with it")
