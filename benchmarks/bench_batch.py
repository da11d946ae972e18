"""Benchmark propagate_many (batched exact counts) against regioncam, per network, in one run.

For each architecture (default 1-8-8-1 and 1-32-32-32-1) this draws ``--nets``
random networks with He-normal-like weights rounded to multiples of 1/64 (the
distribution of ``_nets.random_dyadic_net``, drawn with numpy for the whole
batch at once) on [-1, 1] and times, per network:

* ``batched``: :func:`exactrelu.batch.propagate_many` on a
  :class:`~exactrelu.batch.NetBatch` built from the integer arrays (what a
  sweep that draws integer weights pays);
* ``batched+objects``: ``propagate_many`` on a list of ReLUNetwork objects
  (adds the conversion of every Fraction), on the first ``--objects`` nets;
* ``propagate``: one :func:`exactrelu.propagate` call per net, on the same subset;
* ``regioncam``: ``regioncam.Regioncam1D`` per net (float32, Rust; see _peers.py).

Each tool runs ``--repeat`` times, interleaved with the others, and the best
time is kept (the machine is shared).  The exact counts of propagate_many are
checked against propagate on the subset (the script fails otherwise), and the
number of nets on which regioncam's region count differs from the exact one is
printed (a finding about float32, not an error of the script).

BLAS is pinned to one thread (``OPENBLAS_NUM_THREADS=1``, set before numpy is
imported) so that both tools use one core.

``--malloc-tuned`` re-runs the script with ``MALLOC_TRIM_THRESHOLD_`` and
``MALLOC_MMAP_THRESHOLD_`` at 256 MiB: glibc then keeps freed megabyte-sized
blocks instead of unmapping them, so numpy's per-layer temporaries stop paying
page faults (worth up to 2x for propagate_many on a VM; regioncam runs in the
same process under the same setting).

Usage::

    python benchmarks/bench_batch.py                    # 2000 nets per architecture
    python benchmarks/bench_batch.py --nets 500 --repeat 3 --widths 8,8
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from fractions import Fraction  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from _peers import regioncam_available, regioncam_pieces, regioncam_version  # noqa: E402

from exactrelu import ReLUNetwork, propagate  # noqa: E402
from exactrelu.batch import NetBatch, propagate_many  # noqa: E402

DEN = 64


def draw_layers(widths, count, seed):
    """Integer layers ``[(W (B,out,in), b (B,out), 64)]`` of ``count`` He-like dyadic nets."""
    rng = np.random.default_rng(seed)
    sizes = (1, *widths, 1)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        W = np.rint(rng.standard_normal((count, fan_out, fan_in)) * np.sqrt(2.0 / fan_in) * DEN)
        b = np.rint(rng.standard_normal((count, fan_out)) * 0.1 * DEN)
        layers.append((W.astype(np.int64), b.astype(np.int64), DEN))
    return layers


def networks(layers, count):
    return [
        ReLUNetwork([([[Fraction(int(v), DEN) for v in row] for row in W[k]], [Fraction(int(v), DEN) for v in b[k]])
                     for W, b, _ in layers])
        for k in range(count)
    ]


def run(widths, count, objects, repeat, seed):
    layers = draw_layers(widths, count, seed)
    nets = networks(layers, objects)
    floats = [[(W[k] / DEN, b[k] / DEN) for W, b, _ in layers] for k in range(count)]
    domain = (Fraction(-1), Fraction(1))
    best = {name: float("inf") for name in ("batched", "batched+objects", "propagate", "regioncam")}
    result = None
    rc_counts = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = propagate_many(NetBatch.from_integers(layers), domain)
        best["batched"] = min(best["batched"], (time.perf_counter() - start) / count)
        start = time.perf_counter()
        propagate_many(nets, domain)
        best["batched+objects"] = min(best["batched+objects"], (time.perf_counter() - start) / objects)
        start = time.perf_counter()
        traces = [propagate(net, domain) for net in nets]
        best["propagate"] = min(best["propagate"], (time.perf_counter() - start) / objects)
        if regioncam_available():
            start = time.perf_counter()
            rc_counts = [regioncam_pieces(f, -1.0, 1.0)[0] for f in floats]
            best["regioncam"] = min(best["regioncam"], (time.perf_counter() - start) / count)
    assert result is not None
    for k, t in enumerate(traces):
        assert (int(result.pieces[k]), int(result.activation_regions[k])) == (t.pieces, t.activation_regions), k
    differs = None
    if rc_counts is not None:
        differs = int(sum(int(c) != int(r) for c, r in zip(rc_counts, result.activation_regions)))
    return {
        "architecture": "1-" + "-".join(map(str, widths)) + "-1",
        "nets": count,
        "mean_pieces": float(result.pieces.mean()),
        "mean_regions": float(result.activation_regions.mean()),
        "python_path": int(result.python_path.size),
        "us_per_net": {k: (v * 1e6 if v != float("inf") else None) for k, v in best.items()},
        "regioncam_region_count_differs": differs,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nets", type=int, default=2000)
    parser.add_argument("--objects", type=int, default=200, help="nets also timed as ReLUNetwork objects and with propagate")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--widths", action="append", help="e.g. 8,8 (repeatable; default 8,8 and 32,32,32)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--malloc-tuned", action="store_true", help="re-run with glibc trim/mmap thresholds at 256 MiB")
    args = parser.parse_args(argv)
    if args.malloc_tuned and "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        import subprocess

        env = dict(os.environ, MALLOC_TRIM_THRESHOLD_=str(1 << 28), MALLOC_MMAP_THRESHOLD_=str(1 << 28))
        argv = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--malloc-tuned"]
        return subprocess.call([sys.executable, os.path.abspath(__file__), *argv, "--malloc-tuned"], env=env)
    archs = [tuple(int(v) for v in w.split(",")) for w in (args.widths or ["8,8", "32,32,32"])]
    rows = [run(w, args.nets, min(args.objects, args.nets), args.repeat, args.seed) for w in archs]
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.processor() or platform.machine(),
            "regioncam": regioncam_version(), "numpy": np.__version__,
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
            "malloc_tuned": "MALLOC_TRIM_THRESHOLD_" in os.environ,
            "load_average": [round(v, 2) for v in os.getloadavg()] if hasattr(os, "getloadavg") else None}
    if args.json:
        print(json.dumps({"format": "exactrelu-bench-batch", "version": 1, "meta": meta, "rows": rows}, indent=1))
        return 0
    print(f"# propagate_many vs regioncam, per net ({meta['date']}, regioncam {meta['regioncam']}, numpy {meta['numpy']}, "
          f"malloc tuned: {meta['malloc_tuned']}, load average at the end: {meta['load_average']})")
    print("| architecture | nets | mean pieces | batched us/net | batched+objects | propagate | regioncam | batched/regioncam | regioncam count differs |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        t = r["us_per_net"]
        ratio = t["batched"] / t["regioncam"] if t["regioncam"] else float("nan")
        fmt = lambda v: "-" if v is None else f"{v:.1f}"  # noqa: E731
        print(f"| {r['architecture']} | {r['nets']} | {r['mean_pieces']:.1f} | {fmt(t['batched'])} | {fmt(t['batched+objects'])} "
              f"| {fmt(t['propagate'])} | {fmt(t['regioncam'])} | {ratio:.2f} | {r['regioncam_region_count_differs']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
