"""Downloads from fal's CDN, as careful as the uploads (`fal_assets._uploads`):

- only fal-hosted URLs unless `allow_external_urls=True`; no credential is ever sent (the CDN needs none);
  a 403 (an ACL) is retried once through a signed URL from `storage.sign`, itself checked to be fal-hosted;
- every request goes through the engine's `Attempts` under the call's `Budget`: timeout per attempt,
  retries with backoff, the deadline, Ctrl-C / cancellation (sockets shut down), typed errors; redirects
  are never followed;
- the body streams to a temporary file in the destination folder (flat memory), renamed into place once
  complete and verified (length, and sha256 when given); an interrupted download resumes with `Range`;
- an existing destination with the same content (size, and sha256 when known) is skipped;
- names from URLs or fal never leave the destination folder (`names.py`).
"""

from .transfer import DownloadProgress, ProgressCallback, plan_downloads

__all__ = ["DownloadProgress", "ProgressCallback", "plan_downloads"]
