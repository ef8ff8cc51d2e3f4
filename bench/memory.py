"""Memory figures of the running process for the benches (Linux /proc; zero elsewhere)."""

from __future__ import annotations

from pathlib import Path


def status_kib(field: str) -> int:
    """A ``VmXXX`` line of /proc/self/status (``VmRSS``, ``VmHWM``) in KiB, 0 where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().split("\n"):
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def status_mib(field: str) -> float:
    """:func:`status_kib` in MiB."""
    return status_kib(field) / 1024


def reset_peak() -> None:
    """Reset the process's peak resident size (Linux), so the next peak is one step's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
