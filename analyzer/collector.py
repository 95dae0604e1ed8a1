"""Keeping Python's cyclic garbage collector out of the way while a stage builds millions of small objects.

CPython's collector walks every live container object in each full collection, and starts one
whenever the containers created since the last one reach a quarter of those that survived it. A
stage that builds the rows, people, graph or findings of 100,000 people creates millions of lists,
dicts and records, and so set off several full collections over an ever larger heap: about a fifth
of those stages' CPU time, finding nothing to free. The objects of these stages form no reference
cycles (rows, records, edge dicts, findings): reference counting frees them as it always does;
only cyclic garbage, if any, waits until the stage ends and the collector runs again.

The stages that read documents (.docx, .pdf) or run the NLP keep the collector on: their
libraries may build cycles.

:func:`paused` switches the collector off for such a stage; :func:`frozen_heap` leaves it on but keeps
everything that already exists out of its passes (report writing and mapping, which also fork: a forked process's
collections then leave the inherited objects alone instead of copying every page that holds one).

Examples
--------
>>> import gc
>>> with paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block; re-enable it after, if it was enabled."""
    if not gc.isenabled():  # the caller (or an enclosing block) has it off already: leave it so
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# Whether a frozen_heap block of this process holds the heap frozen now; a process forked inside the block inherits it.
# Asked before gc.get_freeze_count(), which counts the frozen objects one by one: in a worker forked from a frozen
# heap that walk (a few hundred thousand objects) took 4-5% of the time of mapping a chunk of statements.
_frozen_here = False


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the objects that exist now out of the garbage collector's passes while the block runs.

    Writing the reports allocates millions of small objects, which start collections; a full collection
    walks every object of the process (the analysis, and in the CLI the NLP models): a third of the time
    of the HTML report and of report.json's data, a tenth of the figures'. Nothing is left out for good:
    the objects go back to the collector afterwards. Skipped when the collector is off or something else
    froze objects already (freezing does not nest).
    """
    global _frozen_here
    if _frozen_here or not gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    _frozen_here = True
    try:
        yield
    finally:
        _frozen_here = False
        gc.unfreeze()
