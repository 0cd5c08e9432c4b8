"""How fal's replies are read: tolerantly by default, strictly on request.

The generated reply models do the reading (`from_reply`, from scripts/templates/reply_model.py.jinja); each
difference from the spec they read past is reported to a `Drift`. Here are the two the facade uses: one that
logs each difference once per process for each (operation, field), and the generated `STRICT`, which
refuses it.

WARNING, not INFO: the call succeeded, but fal is sending something openapi.yaml does not describe, so the
spec is behind fal and should be synced (README, "Forward compatibility"); once per (operation, field)
keeps it to a line per difference however many replies carry it.
"""

from __future__ import annotations

import logging
import threading

__all__ = ["LoggedDrift"]

_logger = logging.getLogger("fal_assets")
_lock = threading.Lock()
_reported: set[tuple[str, str]] = set()


class LoggedDrift:
    """A `Drift` for one operation: logs a difference the first time this process sees it."""

    __slots__ = ("operation",)

    def __init__(self, operation: str) -> None:
        self.operation = operation

    def __call__(self, path: str, problem: str) -> None:
        field = path.lstrip(".")
        key = (self.operation, field)
        if key in _reported:
            return
        with _lock:
            if key in _reported:
                return
            _reported.add(key)
        _logger.warning(
            "%s: fal's reply differs from the spec at %s (%s); read anyway. openapi.yaml is behind fal: "
            "sync it (scripts/update-spec).",
            self.operation,
            field,
            problem,
        )
