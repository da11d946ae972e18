"""Run a sweep in-process, on local processes or on a Dask cluster, resumably.

:func:`run_sweep` opens (or resumes) a records file, plans the work units of
the networks not yet recorded, runs them on the chosen engine and appends
each unit's records as soon as it arrives.  Every record depends only on the
configuration (seeds are derived, never drawn from a shared stream), so the
three engines give the same records, and the file, rewritten in canonical
order at the end, is byte-identical.

Fault tolerance
    *Dask*: a worker that dies mid-task has its tasks rescheduled by the
    scheduler on the remaining workers (``retries`` as a second line of
    defence); nothing is lost, since only records that reached the client are
    written.  If no worker is left for ``worker_timeout`` seconds,
    :class:`WorkersLostError` is raised after every finished record was written.
    *Processes*: a broken pool (a worker killed) is replaced and the unfinished
    units are resubmitted, up to ``max_restarts`` times.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Callable

from .._cluster import connect
from ..errors import ExactReluError
from .grid import SweepConfig, WorkUnit, plan_units
from .measures import run_unit
from .records import RecordStore

__all__ = ["run_sweep", "SweepResult", "WorkersLostError", "Progress"]

#: ``progress(done, total)`` after every batch of records written.
Progress = Callable[[int, int], None]


class WorkersLostError(ExactReluError, RuntimeError):
    """Every worker of the cluster is gone (or the process pool keeps breaking).

    Attributes
    ----------
    done, total : int
        Records in the file when the sweep stopped, and the sweep's size.
    path : str or None
        The records file (resume with the same configuration to finish).
    """

    def __init__(self, message: str, *, done: int, total: int, path: str | None):
        super().__init__(f"{message}; {done}/{total} records kept"
                         + (f" in {path} (run again to resume)" if path else ""))
        self.done, self.total, self.path = done, total, path


@dataclass
class SweepResult:
    """What :func:`run_sweep` did: the records (canonical order) and how they were obtained."""

    config: SweepConfig
    records: list[dict]
    computed: int
    reused: int
    seconds: float
    engine: str
    path: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Networks computed per second in this run (0 when nothing was computed)."""
        return self.computed / self.seconds if self.seconds > 0 and self.computed else 0.0


class _MemoryStore:
    """The store of a sweep without a file."""

    def __init__(self, config: SweepConfig):
        self.config = config
        self.records: dict[str, dict] = {}
        self.path = None

    @property
    def done(self) -> frozenset[str]:
        return frozenset(self.records)

    def append(self, records: list[dict]) -> int:
        new = [r for r in records if r["key"] not in self.records]
        for r in new:
            self.records[r["key"]] = r
        return len(new)

    def complete(self) -> bool:
        return len(self.records) >= self.config.total

    def finalize(self) -> None:
        pass

    def close(self) -> None:
        pass

    def ordered(self) -> list[dict]:
        from .grid import network_specs

        return [self.records[s.key] for s in network_specs(self.config) if s.key in self.records]


def _in_process(units: list[WorkUnit], sink: Callable[[list[dict]], None]) -> None:
    for unit in units:
        sink(run_unit(unit))


def _processes(units: list[WorkUnit], sink: Callable[[list[dict]], None], workers: int,
               max_restarts: int, store: Any) -> None:
    from concurrent.futures.process import BrokenProcessPool

    remaining = {u.index: u for u in units}
    restarts = 0
    while remaining:
        pool = ProcessPoolExecutor(max_workers=workers)
        futures = {pool.submit(run_unit, u): i for i, u in remaining.items()}
        broken = False
        try:
            pending: set[Future] = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    try:
                        records = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    sink(records)
                    remaining.pop(futures[future], None)
                if broken:
                    break
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)
        if broken:
            restarts += 1
            if restarts > max_restarts:
                raise WorkersLostError(f"the process pool broke {restarts} times",
                                       done=len(store.records), total=store.config.total, path=store.path)


def _dask(units: list[WorkUnit], sink: Callable[[list[dict]], None], scheduler: Any,
          worker_timeout: float, store: Any) -> None:
    client, own = connect(scheduler, timeout=worker_timeout)
    token = uuid.uuid4().hex[:8]
    futures: list[Any] = []
    try:
        futures = [client.submit(run_unit, u, key=f"{u.name}-{token}", pure=False, retries=3) for u in units]
        pending = set(futures)
        lost_since: float | None = None
        checked = 0.0
        while pending:
            finished = [f for f in pending if f.done()]
            for future in finished:
                try:
                    # a finished result held by a worker that just died is recomputed: do not block on it
                    records = future.result(timeout=1)
                except (TimeoutError, asyncio.TimeoutError):
                    continue
                except ExactReluError:
                    raise
                except Exception as exc:  # KilledWorker and the like: the task itself could not run
                    raise WorkersLostError(f"a work unit failed on the cluster ({type(exc).__name__}: {exc})",
                                           done=len(store.records), total=store.config.total,
                                           path=store.path) from exc
                pending.discard(future)
                sink(records)
                future.release()
            if not pending:
                break
            now = time.monotonic()
            if now - checked > 0.5:
                checked = now
                if not client.nthreads():
                    lost_since = now if lost_since is None else lost_since
                    if now - lost_since > worker_timeout:
                        raise WorkersLostError(f"no Dask worker for {worker_timeout:g} s",
                                               done=len(store.records), total=store.config.total,
                                               path=store.path)
                else:
                    lost_since = None
            if not finished:
                time.sleep(0.02)
    finally:
        for future in futures:
            future.cancel()
        if own:
            client.close()


def run_sweep(config: SweepConfig, path: str | None = None, *, workers: int | None = None,
              scheduler: Any = None, progress: Progress | None = None, worker_timeout: float = 60.0,
              max_restarts: int = 3) -> SweepResult:
    """Run (or resume, or reload) a sweep and return its records.

    Parameters
    ----------
    config : SweepConfig
    path : str, optional
        JSON-lines records file; existing records of the same configuration
        are kept and only the missing networks are computed.  ``None`` keeps
        records in memory.
    workers : int, optional
        Local worker processes (``None``, 0 or 1: in-process).
    scheduler : str or distributed.Client, optional
        A Dask scheduler address (``tcp://HOST:PORT``) or a connected client.
    progress : callable, optional
        ``progress(done, total)`` after every unit's records are written.
    worker_timeout : float
        Seconds without any Dask worker before :class:`WorkersLostError`.

    Raises
    ------
    WorkersLostError
        All workers gone; the records so far are in the file.
    ShapeError
        The file holds a different configuration.
    """
    store: Any = RecordStore(path, config) if path else _MemoryStore(config)
    reused = len(store.records)
    engine = "dask" if scheduler is not None else ("processes" if workers and workers > 1 else "in-process")
    start = time.perf_counter()
    computed = 0

    def sink(records: list[dict]) -> None:
        nonlocal computed
        computed += store.append(records)
        if progress is not None:
            progress(len(store.records), config.total)

    try:
        units = plan_units(config, store.done)
        if progress is not None:
            progress(len(store.records), config.total)
        if units:
            if scheduler is not None:
                _dask(units, sink, scheduler, worker_timeout, store)
            elif workers and workers > 1:
                _processes(units, sink, workers, max_restarts, store)
            else:
                _in_process(units, sink)
        if store.complete():
            store.finalize()
    finally:
        store.close()
    seconds = time.perf_counter() - start
    return SweepResult(config, store.ordered(), computed, reused, seconds, engine, path)
