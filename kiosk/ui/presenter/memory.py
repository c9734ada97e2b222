"""Memory a session used goes back to the system when it ends (glibc's allocator).

A 300-dpi colour page arrives as a 26 MB buffer. glibc serves buffers that size from its
heap once the first is freed (its mmap threshold grows), and keeps freed heap memory for
the process: measured on a 20-page session, 80 MiB more than before stayed after the
client had left, and fragments held ~2.7 MiB per page during it. A fixed threshold sends
every page-sized buffer to its own mapping, returned at once when freed; a trim after the
wipe returns what the heap keeps. Elsewhere (not glibc) both do nothing.

The threshold is below an encoded page (a 300-dpi colour JPEG is 0.3-0.5 MB): the PDF
writer's copy of every page, freed once the PDF is written, goes back at once instead of
staying in the heap beside the PDF and its spooled copy (measured on 100 pages: 30 MiB
less at the session's peak). The threads that scan, encode and decode share two arenas:
what one frees, the next reuses, instead of each thread's arena keeping its own.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys

log = logging.getLogger(__name__)
M_MMAP_THRESHOLD = -3  # mallopt(3)
M_ARENA_MAX = -8
ARENAS = 2
PAGE_BUFFER = 256 << 10  # bytes: from here on a buffer gets a mapping of its own


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def map_page_buffers() -> None:
    """Once, at start: page-sized buffers are mapped and unmapped, never kept in the heap;
    threads share two arenas."""
    libc = _libc()
    if libc is None:
        return
    if not libc.mallopt(M_MMAP_THRESHOLD, PAGE_BUFFER):
        log.warning("mallopt(M_MMAP_THRESHOLD) refused")
    if not libc.mallopt(M_ARENA_MAX, ARENAS):
        log.warning("mallopt(M_ARENA_MAX) refused")


def give_back() -> None:
    """After a wipe (once the session's widgets are deleted): collect, then trim."""
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
