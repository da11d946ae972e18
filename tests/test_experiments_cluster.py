"""Sweeps on a real Dask cluster: a ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1.

Each test starts its own cluster (separate process groups, random free ports)
and always tears it down.  A worker is killed with SIGKILL mid-run: the sweep
finishes, loses no record, and writes the same file as the in-process run;
when the last worker dies the sweep stops after ``worker_timeout`` with
WorkersLostError (the CLI exits 2), keeping every record, and resumes.
"""

from __future__ import annotations

import time

import pytest

from _dask_cluster import DaskCluster
from _extras import require
from exactrelu.experiments import SweepConfig, WorkersLostError, run_sweep

CONFIG = SweepConfig(widths=(4, 6), depths=(1, 2, 3), networks=12, unit_size=2, distance_points=2,
                     inits=("he_normal_numpy", "grid_uniform"))


@pytest.fixture
def cluster():
    require("distributed")
    c = DaskCluster(2, timeouts=60)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("ref") / "ref.jsonl")
    run_sweep(CONFIG, path)
    with open(path, "rb") as handle:
        return handle.read()


def _read(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def test_killed_worker_loses_no_record(cluster, reference, tmp_path):
    path = str(tmp_path / "dask.jsonl")
    seen = []

    def progress(done, total):
        seen.append(done)
        if done and "killed" not in seen:
            seen.append("killed")
            cluster.kill("worker0")

    result = run_sweep(CONFIG, path, scheduler=cluster.address, progress=progress, worker_timeout=30)
    assert "killed" in seen and cluster.procs["worker0"].poll() is not None
    assert result.engine == "dask" and result.computed == CONFIG.total
    assert _read(path) == reference
    assert len(cluster.client.nthreads()) == 1


def test_last_worker_dies_records_kept_then_resume(cluster, reference, tmp_path, capsys):
    from exactrelu.cli import main

    path = str(tmp_path / "dask.jsonl")

    def progress(done, total):
        if done:
            cluster.kill("worker0")
            cluster.kill("worker1")

    start = time.monotonic()
    with pytest.raises(WorkersLostError) as info:
        run_sweep(CONFIG, path, scheduler=cluster.address, progress=progress, worker_timeout=2)
    assert time.monotonic() - start < 30
    kept = _read(path)
    done = len(kept.decode().splitlines()) - 1
    assert 1 <= done < CONFIG.total and info.value.done == done and info.value.total == CONFIG.total
    # the CLI reports the lost cluster with exit status 2 and keeps the file as it was
    argv = ["sweep", "--widths", "4,6", "--depths", "1,2,3", "--networks", "12", "--unit-size", "2",
            "--distance-points", "2", "--inits", "he_normal_numpy,grid_uniform", "--out", path,
            "--scheduler", cluster.address, "--worker-timeout", "1", "--json"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "no Dask worker" in err and "records kept" in err
    assert _read(path) == kept
    result = run_sweep(CONFIG, path)  # resume in-process
    assert result.reused == done and _read(path) == reference
