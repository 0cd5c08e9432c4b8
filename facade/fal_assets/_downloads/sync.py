"""The sync download driver: each download runs on a worker thread over the client's pooled
`httpx.Client`, at most `UploadSettings.concurrency` at a time per call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

from .._config import ClientConfig
from .._core.attempt import Budget, InAttempt
from .._core.engine import SyncEngine, scrub
from .target import Target
from .transfer import ProgressCallback, Transfer, Verdict, settle

__all__ = ["SyncDownloader"]

Signer = Callable[[str], str]


class SyncDownloader:
    def __init__(self, engine: SyncEngine, config: ClientConfig, sign: Signer | None) -> None:
        self._engine = engine
        self._config = config
        self._sign = sign

    def run(
        self, targets: Sequence[Target], budget: Budget, on_progress: ProgressCallback | None
    ) -> list[Path]:
        """Every download, concurrently; the paths in order, or DownloadError."""
        errors: list[BaseException | None] = [None] * len(targets)
        if len(targets) == 1:
            errors[0] = self._guarded(targets[0], budget, on_progress)
            return settle(targets, errors)
        workers = min(self._config.uploads.concurrency, len(targets))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fal-assets-download") as pool:
            futures = [pool.submit(self._guarded, t, budget, on_progress) for t in targets]
            try:
                wait(futures)
            except BaseException:
                # Ctrl-C: in-flight downloads stop now (their sockets are shut down), queued ones never start.
                budget.interrupt.set("interrupted")
                for future in futures:
                    future.cancel()
                raise
            errors = [f.result() for f in futures]
        return settle(targets, errors)

    def _guarded(
        self, target: Target, budget: Budget, on_progress: ProgressCallback | None
    ) -> Exception | None:
        try:
            self.fetch(target, budget, on_progress)
        except Exception as exc:
            return exc
        return None

    def fetch(self, target: Target, budget: Budget, on_progress: ProgressCallback | None) -> Path:
        transfer = Transfer(target, budget, on_progress)
        if target.already_there():
            target.skipped = True
            transfer.report(done=True)
            return target.final
        http = self._engine.http
        while True:
            scope, request = transfer.request()
            verdict: Verdict = "error"
            body = b""
            try:
                with InAttempt(scope), transfer.logs():
                    response = http.send(request, stream=True, auth=None, follow_redirects=False)
                    try:
                        verdict = transfer.verdict(response, self._sign is not None)
                        if verdict == "done" and target.begin(response):
                            for chunk in response.iter_raw():
                                transfer.chunk(scope, chunk)
                            target.finish()
                        elif verdict == "error":
                            reader = transfer.attempts.reader(response)
                            for chunk in response.iter_raw():
                                if not reader.feed(chunk):
                                    break
                            body = reader.result()
                    finally:
                        target.close()
                        scope.release()
                        response.close()
            except Exception as exc:
                scrub(request)
                self._engine.wait(transfer.after_error(exc, request), budget)
                continue
            if verdict == "done":
                transfer.report(done=True)
                return target.final
            if verdict == "sign":
                assert self._sign is not None
                transfer.use_signed(self._sign(transfer.url), self._config)
            elif verdict == "error":
                outcome = transfer.attempts.after_reply(response, body)  # raises, or says when to retry
                self._engine.wait(getattr(outcome, "delay", 0.0), budget)
