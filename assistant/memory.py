"""Giving back to the operating system what a one-off load freed."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def release_freed_memory() -> None:
    """Loading the models decompresses and converts tens of megabytes that are freed at once;
    glibc keeps such freed heap (a loading thread's arena above all) for later allocations
    that never come, so without this each serving process holds 25 MB more for good. A no-op
    where the C library is not glibc."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
