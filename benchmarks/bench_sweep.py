"""Throughput of `exactrelu.experiments.run_sweep` (networks per second) on three engines.

    python benchmarks/bench_sweep.py                 # in-process, 2 processes, 2-worker Dask cluster
    python benchmarks/bench_sweep.py --networks 400 --json out.json

The Dask cluster is real: ``distributed.LocalCluster(n_workers=2, threads_per_worker=1,
processes=True)`` (two worker processes and a scheduler).  Every engine computes the
same sweep; the script checks that the records are identical (exact counts do not
depend on the engine).  No timing is asserted; the machine and date are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from exactrelu.experiments import SweepConfig, run_sweep  # noqa: E402


def _warm_up() -> None:
    import exactrelu.experiments.measures  # noqa: F401
    import torch  # noqa: F401


def machine() -> list[str]:
    try:
        return subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout.splitlines()[:10]
    except (OSError, subprocess.SubprocessError):  # pragma: no cover
        return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--networks", type=int, default=200, help="networks per architecture (default 200)")
    parser.add_argument("--widths", default="16,32")
    parser.add_argument("--depths", default="2,4")
    parser.add_argument("--unit-size", type=int, default=25)
    parser.add_argument("--engines", default="in-process,processes,dask")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    config = SweepConfig(widths=tuple(int(w) for w in args.widths.split(",")),
                         depths=tuple(int(d) for d in args.depths.split(",")),
                         networks=args.networks, unit_size=args.unit_size, inits=("he_normal",))
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    print("\n".join(machine()))
    print(f"load average before: {os.getloadavg()[0]:.2f} (other jobs share the CPUs when this is above 0)")
    print(f"sweep: widths {config.widths}, depths {config.depths}, {config.total} networks "
          f"(He normal, torch), units of {config.unit_size}")
    results = {}
    reference = None
    for engine in args.engines.split(","):
        close: Any = None
        kwargs: dict = {}
        if engine == "processes":
            kwargs["workers"] = 2
        elif engine == "dask":
            from distributed import Client, LocalCluster

            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
            client.run(_warm_up)  # workers import torch and exactrelu once, as a long-lived cluster would have
            kwargs["scheduler"] = client

            def close() -> None:
                client.close()
                cluster.close()
        start = time.perf_counter()
        result = run_sweep(config, None, **kwargs)
        seconds = time.perf_counter() - start
        if close is not None:
            close()
        if reference is None:
            reference = result.records
        same = result.records == reference
        results[engine] = {"seconds": round(seconds, 3), "networks_per_second": round(config.total / seconds, 1),
                           "identical_records": same}
        print(f"{engine:11s} {seconds:7.2f} s  {config.total / seconds:8.1f} networks/s  "
              f"records identical to the first engine: {same}  (load average {os.getloadavg()[0]:.2f})")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"config": config.to_dict(), "results": results}, handle, indent=1)
    return 0 if all(r["identical_records"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
