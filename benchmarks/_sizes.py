"""How big each case runs: the issue's sizes, and tiny ones for the quick guard-against-rot run."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks._files import MiB
from benchmarks._protocol import UploadTuning


@dataclass(frozen=True)
class Sizes:
    quick: bool
    repeats: int
    heavy_repeats: int
    upload_files: int
    file_size: int
    latency: float
    scaling_counts: tuple[int, ...]
    big_file_size: int
    big_file_tuning: UploadTuning
    update_calls: int
    update_warmup: int
    import_runs: int
    dedupe_files: int
    small_files: int
    small_file_size: int
    concurrency_latencies: tuple[float, ...]
    help_runs: int
    concurrency_multipart_size: int
    plan_characters: int = 1000
    apply_characters: tuple[int, int] = (1000, 4000)
    # Pairs (facade, raw) of the download and async-upload cases, whose targets are 5 % apart on 2 shared
    # cores: 5 pairs ranged 0.90×–1.19× between runs of the same code; the median of 31 moves far less.
    paired_repeats: int = 31


FULL = Sizes(
    quick=False,
    repeats=5,
    heavy_repeats=3,
    upload_files=20,
    file_size=MiB,
    latency=0.050,
    scaling_counts=(1, 5, 20, 50),
    big_file_size=1024 * MiB,
    # Both libraries' defaults (100 MiB threshold, 10 MiB parts): the case compares them as shipped.
    big_file_tuning=UploadTuning(),
    update_calls=1000,
    update_warmup=50,
    import_runs=5,
    dedupe_files=20,
    small_files=200,
    small_file_size=64 * 1024,
    concurrency_latencies=(0.050, 0.200),
    help_runs=20,
    concurrency_multipart_size=512 * MiB,
)

QUICK = Sizes(
    quick=True,
    repeats=1,
    heavy_repeats=1,
    upload_files=3,
    file_size=64 * 1024,
    latency=0.005,
    scaling_counts=(1, 2, 4),
    big_file_size=5 * MiB,
    # Thresholds lowered so the tiny file still takes the multipart path in both libraries.
    big_file_tuning=UploadTuning(multipart_threshold=2 * MiB, part_size=MiB),
    update_calls=20,
    update_warmup=5,
    import_runs=1,
    dedupe_files=3,
    small_files=6,
    small_file_size=16 * 1024,
    concurrency_latencies=(0.005,),
    help_runs=2,
    concurrency_multipart_size=5 * MiB,
    plan_characters=30,
    apply_characters=(20, 80),
    paired_repeats=3,
)
