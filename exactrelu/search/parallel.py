"""Work units and where they run: in-process, a process pool, or a Dask cluster.

A search is cut into *work units* :class:`Unit` ``(index, strategy, seed,
budget)`` that depend only on the search's seed and budget, never on the
number of workers.  Each unit is a call of a module-level function
(picklable: claims and spaces are frozen dataclasses of plain values and
module-level functions), so units run in-process, on a process pool, or on a
Dask cluster alike.

The answer is the result of the *lowest-indexed* unit that found something.
Units with a higher index are cancelled once a lower one succeeds, but every
lower unit is still awaited, so the answer is the same for one worker or
fifty.  (How many evaluations were spent may differ: units that were already
running when the answer was settled also report their work.)
"""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import FIRST_COMPLETED, CancelledError, Executor, wait
from dataclasses import dataclass
from typing import Any, Callable

from .._cluster import connect
from ..errors import ClusterError

__all__ = ["Unit", "derive_seed", "plan", "execute", "make_executor", "WorkersLostError", "ClusterError", "DaskExecutor"]

#: Seconds between two looks at the cluster while units are pending.
_POLL = 0.25


class WorkersLostError(ClusterError):
    """No Dask worker was left for ``timeout`` seconds while work units were pending.

    Attributes
    ----------
    results : list
        The results of the units that did finish, in index order (kept, not lost).
    done, total : int
        Units finished and units planned.
    """

    def __init__(self, timeout: float, results: list, total: int):
        super().__init__(f"no Dask worker left for {timeout:g} s: {len(results)} of {total} work units finished "
                         "(their results are kept); start workers and run again, or raise --worker-timeout")
        self.results = results
        self.done = len(results)
        self.total = total


class DaskExecutor(Executor):
    """A Dask client's executor that can tell whether any worker is left (for :func:`execute`)."""

    def __init__(self, client: Any, worker_timeout: float = 60.0):
        self.client = client
        self.worker_timeout = worker_timeout
        self._executor = client.get_executor()

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Any:
        return self._executor.submit(fn, *args, **kwargs)

    def workers_alive(self) -> bool:
        """True while the scheduler knows at least one worker."""
        try:
            return bool(self.client.nthreads())
        except Exception:  # the scheduler itself is gone: no worker either
            return False

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait)

#: Evaluations per work unit (the last unit of a strategy may get fewer).
UNIT_BUDGET = 250


@dataclass(frozen=True)
class Unit:
    """One work item: the ``index``-th unit of a search, its strategy, seed and evaluation budget."""

    index: int
    strategy: str
    seed: int
    budget: int


def derive_seed(seed: int, *parts: object) -> int:
    """A 63-bit seed from the search seed and a unit's name (stable across runs and platforms).

    >>> derive_seed(0, "local", 1) == derive_seed(0, "local", 1) != derive_seed(1, "local", 1)
    True
    """
    text = ":".join(str(p) for p in (seed, *parts))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1


def plan(seed: int, budget: int, strategies: tuple[str, ...], unit_budget: int = UNIT_BUDGET) -> list[Unit]:
    """Cut ``budget`` evaluations into units, strategies interleaved (round robin)."""
    per_strategy = []
    for k, name in enumerate(strategies):
        share = budget // len(strategies) + (1 if k < budget % len(strategies) else 0)
        chunks = []
        while share > 0:
            chunks.append(min(unit_budget, share))
            share -= chunks[-1]
        per_strategy.append((name, chunks))
    units: list[Unit] = []
    depth = max((len(c) for _, c in per_strategy), default=0)
    for j in range(depth):
        for name, chunks in per_strategy:
            if j < len(chunks):
                units.append(Unit(len(units), name, derive_seed(seed, name, j), chunks[j]))
    return units


def execute(function: Callable, args: tuple, units: list[Unit], executor: Executor | None,
            progress: Callable[[int, int], None] | None = None, stop_early: bool = True) -> list[Any]:
    """Run ``function(*args, unit)`` for every unit; results in index order.

    ``progress(done, total)`` is called after every finished unit.

    With ``stop_early``, stop after the lowest-indexed unit whose result has a
    ``found`` value other than None, once every unit before it has finished
    (the same unit for any executor and any number of workers).
    """
    results: dict[int, Any] = {}
    if executor is None:
        for unit in units:
            r = function(*args, unit)
            results[unit.index] = r
            if progress:
                progress(len(results), len(units))
            if stop_early and getattr(r, "found", None) is not None:
                break
        return [results[i] for i in sorted(results)]
    futures = {executor.submit(function, *args, unit): unit.index for unit in units}
    first_found = None
    alive = getattr(executor, "workers_alive", None)
    timeout = float(getattr(executor, "worker_timeout", 60.0))
    lost_since: float | None = None
    pending = set(futures)
    try:
        while pending:
            finished, pending = wait(pending, timeout=_POLL, return_when=FIRST_COMPLETED)
            for future in finished:
                if future.cancelled():
                    continue
                try:
                    r = future.result()
                except CancelledError:
                    continue
                index = futures[future]
                results[index] = r
                if progress:
                    progress(len(results), len(units))
                if stop_early and getattr(r, "found", None) is not None and (first_found is None or index < first_found):
                    first_found = index
                    for other, i in futures.items():
                        if i > first_found:
                            other.cancel()
            if first_found is not None and all(i in results for i in range(first_found)):
                break
            if alive is not None and not finished:
                now = time.monotonic()
                if alive():
                    lost_since = None
                elif lost_since is None:
                    lost_since = now
                elif now - lost_since > timeout:
                    raise WorkersLostError(timeout, [results[i] for i in sorted(results)], len(units))
    finally:
        for other in futures:
            other.cancel()
    if first_found is not None:
        return [results[i] for i in sorted(results) if i <= first_found]
    return [results[i] for i in sorted(results)]


def make_executor(*, workers: int | None = None, scheduler: str | None = None,
                  worker_timeout: float = 60.0) -> tuple[Any, Callable[[], Any]]:
    """An executor and a closer: a Dask cluster's for ``scheduler``, else local processes.

    ``workers`` in (None, 0, 1) without a scheduler means in-process (``None``
    executor).  Needs the ``exactrelu[dask]`` extra for a scheduler address.
    On a cluster, :func:`execute` raises :class:`WorkersLostError` when no
    worker has been left for ``worker_timeout`` seconds (finished results kept).
    Returns ``(executor, close)``; call ``close()`` when done.
    """
    if scheduler:
        client, _ = connect(scheduler, timeout=worker_timeout)
        return DaskExecutor(client, worker_timeout), client.close
    if workers is None or workers <= 1:
        return None, lambda: None
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers)
    return pool, lambda: pool.shutdown(wait=True, cancel_futures=True)
