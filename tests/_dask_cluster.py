"""A real Dask cluster for the tests: ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1.

Each process runs in its own process group on a random free port, so a test
can SIGKILL one worker (``kill``) and always tear everything down (``close``).
Used by the sweep and search cluster tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from typing import Any

import pytest

__all__ = ["DaskCluster", "free_port"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DaskCluster:
    """A scheduler and ``workers`` single-process workers; ``client`` stays open while the cluster lives."""

    def __init__(self, workers: int = 2, *, nthreads: int = 1, timeouts: int = 60, worker_log: str | None = None,
                 env: dict[str, str] | None = None):
        exe = shutil.which("dask", path=os.path.dirname(sys.executable)) or shutil.which("dask")
        if exe is None:
            pytest.skip("the dask command line is not installed")
        port = free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        self.procs: dict[str, subprocess.Popen] = {}
        self._logs: list[Any] = []
        env = dict(os.environ if env is None else env)
        self._start("scheduler", [exe, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard", "--idle-timeout", str(timeouts)], env, None)
        for i in range(workers):
            self._start(f"worker{i}", [exe, "worker", self.address, "--nthreads", str(nthreads), "--nworkers", "1",
                                       "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{i}",
                                       "--death-timeout", str(timeouts // 2)], env, worker_log)
        from distributed import Client

        self.client = Client(self.address, timeout=30)
        self.client.wait_for_workers(workers, timeout=60)

    def _start(self, name: str, argv: list[str], env: dict, log: str | None) -> None:
        err: Any = subprocess.DEVNULL
        if log:
            err = open(log, "w")
            self._logs.append(err)
        self.procs[name] = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err,
                                            start_new_session=True)

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # pragma: no cover - teardown must not mask the test's outcome
            pass
        for name in list(self.procs):
            self.kill(name)
        for log in self._logs:
            log.close()
