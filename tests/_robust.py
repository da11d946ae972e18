"""Helpers of the robustness and fuzz tests: the CLI in-process, the CLI in a subprocess under limits.

``cli(argv)`` runs ``exactrelu.cli.main`` in-process and returns ``(status,
stdout, stderr)``; ``limited(argv)`` runs ``python -m exactrelu`` in a child
with an address-space limit (``resource.setrlimit(RLIMIT_AS)``) and a
timeout, so a blow-up fails the test instead of the machine.
``assert_clean_failure`` is the contract for bad input: exit 2 and exactly
one stderr line naming the command, never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

import exactrelu

__all__ = ["cli", "limited", "assert_clean_failure", "REPO", "MEMORY_LIMIT"]

#: The directory holding the exactrelu package under test (children import the same code).
REPO = os.path.dirname(os.path.dirname(os.path.abspath(exactrelu.__file__)))
#: Address-space limit of a child: enough for numpy + the library, far below the machine.
MEMORY_LIMIT = 1536 * 1024**2


def cli(argv: list[str]) -> tuple[int, str, str]:
    """``exactrelu ARGV`` in-process: (exit status, stdout, stderr); argparse exits are caught."""
    from exactrelu.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 2
    return status, out.getvalue(), err.getvalue()


def _limit(memory: int) -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def limited(argv: list[str], *, timeout: float = 60, memory: int = MEMORY_LIMIT, cwd: str | None = None,
            code: str | None = None) -> subprocess.CompletedProcess:
    """``python -m exactrelu ARGV`` (or ``python -c CODE``) in a child with a memory limit and a timeout."""
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""),
               COLUMNS="80", PYTHONWARNINGS="ignore")
    command = [sys.executable, "-c", code] if code is not None else [sys.executable, "-m", "exactrelu", *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd,
                          preexec_fn=lambda: _limit(memory))


def assert_clean_failure(status: int, stderr: str, command: str, *, contains: str = "") -> str:
    """Exit 2, exactly one stderr line ``exactrelu COMMAND: error: ...`` (bounded), no traceback."""
    lines = stderr.splitlines()
    assert status == 2, (status, stderr[-2000:])
    assert len(lines) == 1, stderr[-2000:]
    line = lines[0]
    assert line.startswith(f"exactrelu {command}: error: ") or line.startswith(f"exactrelu {command}: error:"), line
    assert "Traceback" not in stderr and len(line) <= 700, line[:700]
    assert contains in line, line
    return line
