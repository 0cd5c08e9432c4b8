"""`_uploads/progress.py`: the events one upload call delivers. Every input sharing a content gets each event,
in input order; `bytes_sent` is the sum over the upload's requests of what was written (a retried request
starts its track again, a fallback starts them all again); the last event is `done` and comes once, with the
total on success or what was sent on failure; nothing is reported after it. Calls to the callback never
overlap, and one that raises is logged once and not called again for the rest of the call, whatever job
it reports on, without failing the upload."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from fal_assets._uploads.progress import NO_PROGRESS, JobProgress, Progress, UploadProgress

from tests.upload_support import Events


def sent(events: Events) -> list[int]:
    return [e.bytes_sent for e in events.events]


def test_a_progress_is_enabled_only_with_a_callback() -> None:
    assert Progress(Events()).enabled
    assert not Progress(None).enabled
    assert not NO_PROGRESS._progress.enabled and (NO_PROGRESS.inputs, NO_PROGRESS.total) == ([], 0)


def test_a_job_without_callback_takes_every_report_without_failing() -> None:
    job = Progress(None).job(["a"], 10)
    job.restart("part-1")
    job.add("part-1", 4)
    job.reset()
    job.finish("https://cdn/x", None)
    job.finish(None, RuntimeError("late"))
    # The one shared job of requests without a body (the token request) serves every call, in any order.
    for _ in range(2):
        NO_PROGRESS.restart("token")
        NO_PROGRESS.add("token", 7)
        NO_PROGRESS.reset()
        NO_PROGRESS.finish(None, None)


def test_each_written_chunk_is_one_event_per_input_in_input_order() -> None:
    events = Events()
    a, b = object(), object()
    job = Progress(events).job([a, b], 10)
    job.restart("single")
    job.add("single", 3)
    job.add("single", 4)
    assert events.events == [
        UploadProgress(a, 3, 10, False),
        UploadProgress(b, 3, 10, False),
        UploadProgress(a, 7, 10, False),
        UploadProgress(b, 7, 10, False),
    ]
    assert all(e.input is item for e, item in zip(events.events, [a, b, a, b], strict=True))


def test_bytes_sent_sums_the_tracks_of_parallel_parts() -> None:
    events = Events()
    job = Progress(events).job(["f"], 30)
    job.restart("part-1")
    job.restart("part-2")
    job.add("part-1", 5)
    job.add("part-2", 8)
    job.add("part-1", 5)
    assert sent(events) == [5, 13, 18]


def test_a_retried_part_starts_its_track_again_and_keeps_the_others() -> None:
    events = Events()
    job = Progress(events).job(["f"], 30)
    job.add("part-1", 10)
    job.add("part-2", 6)
    job.restart("part-2")  # its request failed half-way and is sent again
    job.add("part-2", 2)
    # Only what the retry wrote counts again: never the bytes of the failed attempt twice.
    assert sent(events) == [10, 16, 12]


def test_a_reset_forgets_every_track_for_the_fallback_upload() -> None:
    events = Events()
    job = Progress(events).job(["f"], 30)
    job.add("part-1", 10)
    job.add("part-2", 10)
    job.reset()
    job.add("put", 4)
    assert sent(events) == [10, 20, 4]


def test_success_finishes_every_input_at_the_total_with_its_url() -> None:
    events = Events()
    a, b = "a.png", "b.png"
    job = Progress(events).job([a, b], 10)
    job.add("single", 6)  # the last chunk's event may not have come yet when the reply does
    job.finish("https://cdn/x", None)
    assert events.final() == [
        UploadProgress(a, 10, 10, True, "https://cdn/x", None, False),
        UploadProgress(b, 10, 10, True, "https://cdn/x", None, False),
    ]


def test_failure_finishes_at_what_was_actually_sent_with_the_error() -> None:
    events = Events()
    error = RuntimeError("503")
    job = Progress(events).job(["f"], 30)
    job.add("part-1", 10)
    job.add("part-2", 7)
    job.finish(None, error)
    [final] = events.final()
    assert (final.bytes_sent, final.total_bytes, final.url, final.reused) == (17, 30, None, False)
    assert final.error is error


def test_a_reused_content_finishes_at_the_total_without_any_chunk_event() -> None:
    events = Events()
    job = Progress(events).job(["a", "b"], 10)
    job.finish("https://cdn/x", None, reused=True)
    assert events.events == [
        UploadProgress("a", 10, 10, True, "https://cdn/x", None, True),
        UploadProgress("b", 10, 10, True, "https://cdn/x", None, True),
    ]


def test_an_empty_upload_finishes_at_zero() -> None:
    events = Events()
    Progress(events).job(["empty"], 0).finish("https://cdn/e", None)
    assert events.events == [UploadProgress("empty", 0, 0, True, "https://cdn/e")]


def test_the_last_event_comes_once_and_nothing_after_it() -> None:
    events = Events()
    job = Progress(events).job(["f"], 10)
    job.add("part-1", 4)
    job.finish(None, RuntimeError("first"))
    job.finish("https://cdn/x", None)  # a second outcome is ignored
    job.add("part-2", 3)  # an interrupted part still draining reports nothing
    job.restart("part-2")
    job.add("part-2", 3)
    assert [(e.bytes_sent, e.done) for e in events.events] == [(4, False), (4, True)]
    assert str(events.final()[0].error) == "first"


def test_a_raising_callback_is_logged_once_and_silenced_for_the_whole_call(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[UploadProgress] = []

    def broken(event: UploadProgress) -> None:
        calls.append(event)
        raise ValueError("progress bar bug")

    progress = Progress(broken)
    first, second = progress.job(["a", "b"], 10), progress.job(["c"], 5)
    with caplog.at_level(logging.WARNING, logger="fal_assets"):
        first.add("single", 3)  # must not raise: the upload goes on
        first.finish("https://cdn/a", None)
        second.add("single", 5)
        second.finish("https://cdn/c", None)
    assert [e.input for e in calls] == ["a"]  # not even "b" of the same event
    assert not progress.enabled
    [record] = [r for r in caplog.records if r.name == "fal_assets"]
    assert record.levelno == logging.WARNING and "on_progress callback raised" in record.getMessage()
    assert record.exc_info is not None and isinstance(record.exc_info[1], ValueError)
    # Another call has its own callback state.
    events = Events()
    Progress(events).job(["d"], 1).finish("https://cdn/d", None)
    assert len(events.events) == 1


def test_an_interrupt_raised_by_the_callback_is_not_swallowed() -> None:
    def interrupted(event: UploadProgress) -> None:
        raise KeyboardInterrupt

    job = Progress(interrupted).job(["a"], 10)
    with pytest.raises(KeyboardInterrupt):
        job.add("single", 1)


def test_callbacks_never_overlap_and_every_chunk_is_counted_under_concurrency() -> None:
    inside = threading.Lock()
    overlaps = 0
    events = Events()

    def callback(event: UploadProgress) -> None:
        nonlocal overlaps
        if not inside.acquire(blocking=False):
            overlaps += 1
            return
        try:
            time.sleep(0)  # give another thread the chance to enter
            events(event)
        finally:
            inside.release()

    progress = Progress(callback)
    threads_per_job, adds = 4, 200
    total = threads_per_job * adds
    jobs: list[JobProgress] = [progress.job(["x"], total), progress.job(["y"], total)]
    start = threading.Barrier(2 * threads_per_job)

    def part(job: JobProgress, track: str) -> None:
        start.wait()
        job.restart(track)
        for _ in range(adds):
            job.add(track, 1)

    workers = [
        threading.Thread(target=part, args=(job, f"part-{n}")) for job in jobs for n in range(threads_per_job)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert overlaps == 0
    for job, item in zip(jobs, ["x", "y"], strict=True):
        seen = [e.bytes_sent for e in events.for_input(item)]
        # Each event is delivered under the lock that counted it, so totals arrive in order, none lost.
        assert seen == list(range(1, total + 1)), item
        job.finish("https://cdn/" + item, None)
    assert [(e.input, e.bytes_sent) for e in events.final()] == [("x", total), ("y", total)]
