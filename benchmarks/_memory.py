"""Peak RSS growth of the current process across a block, read from /proc/self/status.

``resource.getrusage`` is not used: on Linux a child's ``ru_maxrss`` can start from its parent's peak and
hide the child's own growth. Writing "5" to /proc/self/clear_refs resets VmHWM to the current RSS (Linux
≥ 4.0), so the growth is exactly peak-during-block minus RSS-at-start. Where that is refused, the fallback
subtracts the peak seen before the block, which can only under-report; the method used is reported.
"""

from __future__ import annotations

import re


class MemoryProbe:
    def __init__(self) -> None:
        self.method = ""
        self.base_kib = 0
        self.peak_kib = 0

    def __enter__(self) -> MemoryProbe:
        try:
            with open("/proc/self/clear_refs", "w") as control:
                control.write("5")
            self.method = "VmHWM after clear_refs"
            self.base_kib = status_kib("VmRSS")
        except OSError:
            self.method = "VmHWM delta"
            self.base_kib = status_kib("VmHWM")
        return self

    def __exit__(self, *exc: object) -> None:
        self.peak_kib = status_kib("VmHWM")

    @property
    def growth_kib(self) -> int:
        return max(0, self.peak_kib - self.base_kib)


def status_kib(name: str) -> int:
    with open("/proc/self/status") as status:
        match = re.search(rf"^{name}:\s+(\d+) kB", status.read(), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{name} missing from /proc/self/status")
    return int(match.group(1))
