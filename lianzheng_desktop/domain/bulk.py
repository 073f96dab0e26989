"""Work that makes hundreds of thousands of small objects at once (the committee's scan
of 110,000 points and their findings).

CPython's cyclic garbage collector runs whenever enough new container objects have been
made, and each full run walks every object alive: building 230,000 findings that are all
kept set it off again and again, and cost more than the work itself (about 2.5 s of 3.4 s
at 1,000 units, docs/performance.md). Nothing made in such work is a cycle to be
collected, so the collector waits until it is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (reference counting still frees
    what is dropped); on again after it if it was on before — blocks may nest."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
