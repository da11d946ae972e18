"""Issue 9, clusters: the last Dask worker dies; Hypothesis's "random module" warning in workers.

The work-unit loop is tested with a fake executor (fast, default suite); the
real cluster runs a ``dask scheduler`` and a ``dask worker`` on 127.0.0.1
(own process groups, free ports, always torn down) and is marked slow.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import warnings
from concurrent.futures import Executor, Future

import pytest

from _dask_cluster import DaskCluster
from _extras import require
from _robust import REPO, assert_clean_failure
from exactrelu.search import search
from exactrelu.search.parallel import Unit, WorkersLostError, execute, plan


class _Result:
    found = None

    def __init__(self, index: int):
        self.index = index


class _DyingExecutor(Executor):
    """Runs the first ``alive_for`` units, then every worker is gone: later futures never finish."""

    def __init__(self, alive_for: int, worker_timeout: float):
        self.alive_for = alive_for
        self.worker_timeout = worker_timeout
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        future: Future = Future()
        if self.submitted < self.alive_for:
            future.set_result(fn(*args, **kwargs))
        self.submitted += 1
        return future

    def workers_alive(self) -> bool:
        return False


def _work(unit: Unit) -> _Result:
    return _Result(unit.index)


def test_no_worker_left_raises_after_the_timeout_keeping_results():
    units = plan(0, 2000, ("random",), unit_budget=100)
    start = time.monotonic()
    with pytest.raises(WorkersLostError) as info:
        execute(_work, (), units, _DyingExecutor(alive_for=3, worker_timeout=0.5))
    elapsed = time.monotonic() - start
    assert 0.5 <= elapsed < 5
    assert info.value.done == 3 and info.value.total == len(units)
    assert [r.index for r in info.value.results] == [0, 1, 2]
    assert "no Dask worker left for 0.5 s" in str(info.value)


def test_an_executor_without_liveness_is_not_timed_out():
    units = plan(0, 300, ("random",), unit_budget=100)
    results = execute(_work, (), units, _DyingExecutor(alive_for=10, worker_timeout=0.01))
    assert [r.index for r in results] == [0, 1, 2]


@pytest.mark.parametrize("claim", ["serra-B3", "relu-at-most-doubles", "sum-pieces"])
def test_exactrelu_strategies_never_touch_the_random_module(claim):
    """In-process, single-threaded: Hypothesis's check is exact here, so the warning would be real."""
    from hypothesis.errors import HypothesisDeprecationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", HypothesisDeprecationWarning)
        search(claim, budget=60, seed=5, strategies=("hypothesis",))


# ------------------------------------------------------------------ a real cluster
def _cluster(workers: int, worker_log: str | None = None) -> DaskCluster:
    """Workers with two threads that import this checkout's exactrelu (PYTHONPATH)."""
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return DaskCluster(workers, nthreads=2, timeouts=120, worker_log=worker_log, env=env)


@pytest.mark.slow
def test_last_worker_dies_search_exits_2_naming_it(tmp_path):
    require("distributed")
    cluster = _cluster(1)
    try:
        env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
        out = str(tmp_path / "w.json")
        child = subprocess.Popen([sys.executable, "-m", "exactrelu", "search", "serra-B3", "--budget", "200000",
                                  "--scheduler", cluster.address, "--worker-timeout", "2", "--out", out],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        threading.Timer(6, cluster.kill, args=("worker0",)).start()
        try:
            stdout, stderr = child.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            child.kill()
            pytest.fail("the search hung after its last worker died")
        assert_clean_failure(child.returncode, stderr, "search", contains="no Dask worker left for 2 s")
    finally:
        cluster.close()


@pytest.mark.slow
def test_dask_workers_log_no_hypothesis_deprecation(tmp_path):
    require("distributed")
    log = str(tmp_path / "worker.log")
    cluster = _cluster(1, worker_log=log)
    try:
        from distributed import Client

        from exactrelu.search.parallel import DaskExecutor

        with Client(cluster.address, timeout=30) as client:
            result = search("serra-B3", budget=1500, seed=3, strategies=("hypothesis",),
                            executor=DaskExecutor(client))
        assert result.found is False
    finally:
        cluster.close()
    with open(log) as handle:
        text = handle.read()
    assert "HypothesisDeprecationWarning" not in text and "random` module" not in text, text[-3000:]


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "nonsense://x", "tcp://"])
def test_unreachable_or_malformed_scheduler_is_one_line(address):
    require("distributed")
    from _robust import cli

    start = time.monotonic()
    status, _, err = cli(["search", "serra-B3", "--scheduler", address, "--worker-timeout", "2"])
    assert_clean_failure(status, err, "search", contains="--scheduler")
    assert time.monotonic() - start < 30


def test_malformed_scheduler_is_one_line_for_every_command(tmp_path, capsys):
    from exactrelu import ReLUNetwork
    from exactrelu.cli import main

    net = tmp_path / "abs.json"
    ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])]).save(str(net))
    for argv in (["sweep", "--networks", "2"], ["count", str(net), "--domain", "-1", "1"],
                 ["search", "serra-B3", "--budget", "10"]):
        assert main(argv + ["--scheduler", "nonsense://x"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "cannot connect" in err
