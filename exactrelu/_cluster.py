"""Connecting to a Dask scheduler: one copy for the search, the sweeps and chunked counting.

``distributed`` is imported only here, inside :func:`connect`, and only when a
scheduler address is given.
"""

from __future__ import annotations

from typing import Any

from .errors import ClusterError, ShapeError

__all__ = ["connect"]


def connect(scheduler: Any, *, timeout: float | None = None) -> tuple[Any, bool]:
    """``(client, owned)`` for a scheduler address (or an existing ``distributed.Client``).

    ``owned`` is True when this call opened the client (the caller closes it).

    Raises
    ------
    ShapeError
        dask.distributed is not installed.
    ClusterError
        The address is malformed (unknown scheme, not a string) or the scheduler cannot be reached.
    """
    try:
        from distributed import Client
    except ImportError:
        raise ShapeError("--scheduler needs dask.distributed: pip install 'exactrelu[dask]'") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    if isinstance(scheduler, str):  # a malformed address is refused before any event loop is started
        try:
            from distributed.comm import parse_address
            from distributed.comm.registry import get_backend

            get_backend(parse_address(scheduler)[0])
        except (ValueError, TypeError) as exc:
            raise ClusterError(f"--scheduler={scheduler!s:.200}: cannot connect, "
                               f"not a scheduler address ({str(exc)[:200]})") from None
    try:
        client = Client(scheduler, timeout=timeout) if timeout is not None else Client(scheduler)
    except (OSError, ValueError, TypeError, AssertionError) as exc:
        # unreachable, not an address at all, or distributed's event loop did not start (AssertionError)
        raise ClusterError(f"--scheduler={scheduler!s:.200}: cannot connect ({str(exc)[:200]})") from None
    return client, True
