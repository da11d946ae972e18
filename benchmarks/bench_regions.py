"""Benchmark: exact n-D region complexes (exactrelu.polyhedral.regions) against regioncam.

Measured in ONE run (same machine state for both tools):

1. 2-D nets 2-64-64-1, 2-32-32-32-1, 2-128-128-1 with float32 He-normal weights
   (N(0, 2/fan_in); biases N(0, 0.25)), converted to rationals exactly, on
   [-1, 1]^2: time and region counts of exactrelu and of regioncam
   (``regioncam.Regioncam(1.0)``, float32 Rust); the ratio exact / regioncam.
2. 3-D and 4-D nets of the same kind on [-1, 1]^n (regioncam has no 3-D).
3. Networks where float32 tools miscount: k lines exactly through one common
   point with float32 (dyadic) weights (exact answer 2k), and k float32 lines
   through a point rounded to float32 (not exactly concurrent: the exact count
   is the truth of the network as stored).

Times are best of ``--repeat`` runs (the two tools interleaved), wall clock (``perf_counter``) and CPU
(``process_time``, which includes every BLAS thread).  BLAS runs single-threaded
(``OPENBLAS_NUM_THREADS=1`` unless already set): the exact code's float64 digit
products are small, and on a shared machine OpenBLAS threads spin more than
they help; regioncam is single-threaded Rust.  The exact time covers
building the complex and counting its activation regions; "+maps" adds the
output's exact affine map on every region and the piece count.

    python benchmarks/bench_regions.py [--repeat 5] [--json FILE] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from exactrelu import ReLUNetwork  # noqa: E402
from exactrelu.polyhedral import regions  # noqa: E402


def he_float32(widths: tuple[int, ...], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    layers = []
    for a, b in zip(widths[:-1], widths[1:]):
        W = (rng.standard_normal((b, a)) * np.sqrt(2.0 / a)).astype(np.float32)
        bias = (rng.standard_normal(b) * 0.5).astype(np.float32)
        layers.append((W, bias))
    return layers


def exact_net(layers) -> ReLUNetwork:
    return ReLUNetwork.from_numpy([(W.astype(np.float64), b.astype(np.float64)) for W, b in layers])


def run_regioncam(layers, size: float = 1.0):
    import regioncam

    rc = regioncam.Regioncam(size)
    for i, (W, b) in enumerate(layers):
        rc.linear(np.ascontiguousarray(W.T.astype(np.float32)), b.astype(np.float32))
        if i < len(layers) - 1:
            rc.relu()
    return rc.num_faces


def timed(fn, repeat: int):
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return result, best_wall, best_cpu


def bench_2d(widths, seed, repeat, rows):
    layers = he_float32(widths, seed)
    net = exact_net(layers)
    box = [(-1, 1), (-1, 1)]
    rc_count, rc_wall, rc_cpu = None, float("inf"), float("inf")
    ex_wall = ex_cpu = float("inf")
    for _ in range(repeat):  # interleaved, so both tools see the same machine state
        try:
            rc_count, w, c = timed(lambda: run_regioncam(layers), 1)
            rc_wall, rc_cpu = min(rc_wall, w), min(rc_cpu, c)
        except ImportError:
            rc_wall = rc_cpu = float("nan")
        count, w, c = timed(lambda: regions(net, box).activation_regions, 1)
        ex_wall, ex_cpu = min(ex_wall, w), min(ex_cpu, c)

    def full():
        cx = regions(net, box)
        return cx.activation_regions, cx.pieces

    (_, pieces), full_wall, _ = timed(full, 1)
    rows.append({
        "net": "-".join(map(str, widths)), "seed": seed, "exact_regions": count, "pieces": pieces,
        "regioncam_regions": rc_count, "exact_wall": ex_wall, "exact_cpu": ex_cpu,
        "regioncam_wall": rc_wall, "regioncam_cpu": rc_cpu, "exact_plus_maps_wall": full_wall,
        "ratio_wall": ex_wall / rc_wall, "ratio_cpu": ex_cpu / rc_cpu,
    })


def bench_nd(widths, seed, repeat, rows):
    layers = he_float32(widths, seed)
    net = exact_net(layers)
    box = [(-1, 1)] * widths[0]
    cx, wall, cpu = timed(lambda: regions(net, box), repeat)
    rows.append({"net": "-".join(map(str, widths)), "seed": seed, "exact_regions": cx.activation_regions,
                 "vertices": cx.num_vertices, "edges": cx.num_edges, "layer_regions": list(cx.layer_regions),
                 "exact_wall": wall, "exact_cpu": cpu})


def concurrent_lines(k: int, exact_point: bool):
    rng = np.random.default_rng(k)
    if exact_point:  # dyadic weights: -(W p) is exact in float32, all k lines meet at p exactly
        W = (np.round(rng.standard_normal((k, 2)) * 1024) / 1024).astype(np.float32)
        p = np.array((0.3125, -0.1875), dtype=np.float32)
    else:
        W = rng.standard_normal((k, 2)).astype(np.float32)
        p = np.array((0.1, 0.3), dtype=np.float32)
    b = (-(W @ p)).astype(np.float32)
    if exact_point:
        assert (b.astype(float) == -(W.astype(float) @ p.astype(float))).all()
    return [(W, b), (np.ones((1, k), np.float32), np.zeros(1, np.float32))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", default=None)
    ap.add_argument("--quick", action="store_true", help="only 2-64-64-1 and one 3-D net")
    args = ap.parse_args()
    print(f"# bench_regions  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  "
          f"python {platform.python_version()}  numpy {np.__version__}  "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}  load {os.getloadavg()[0]:.1f}")
    two = [((2, 64, 64, 1), 0)] if args.quick else [((2, 64, 64, 1), 0), ((2, 64, 64, 1), 1), ((2, 64, 64, 1), 2),
                                                    ((2, 32, 32, 32, 1), 0), ((2, 32, 32, 32, 1), 1),
                                                    ((2, 128, 128, 1), 0)]
    rows2: list[dict] = []
    for widths, seed in two:
        bench_2d(widths, seed, args.repeat, rows2)
        r = rows2[-1]
        print(f"2-D {r['net']:>14} seed {seed}: exact {r['exact_regions']:6d} regions "
              f"({r['pieces']} pieces), regioncam {r['regioncam_regions']}; "
              f"time exact {r['exact_wall']:.3f} s / regioncam {r['regioncam_wall']:.3f} s wall "
              f"(ratio {r['ratio_wall']:.1f}x), cpu {r['exact_cpu']:.3f} / {r['regioncam_cpu']:.3f} "
              f"(ratio {r['ratio_cpu']:.1f}x); exact + maps + pieces {r['exact_plus_maps_wall']:.3f} s")
    nd = [((3, 32, 32, 1), 0)] if args.quick else [((3, 32, 32, 1), 0), ((3, 64, 64, 1), 0),
                                                   ((3, 16, 16, 16, 1), 0), ((4, 16, 16, 1), 0),
                                                   ((4, 24, 24, 1), 0)]
    rowsn: list[dict] = []
    for widths, seed in nd:
        bench_nd(widths, seed, 1, rowsn)
        r = rowsn[-1]
        print(f"{widths[0]}-D {r['net']:>14}: {r['exact_regions']:6d} regions, {r['vertices']} vertices, "
              f"{r['edges']} edges, per layer {r['layer_regions']}; {r['exact_wall']:.2f} s wall, "
              f"{r['exact_cpu']:.2f} s cpu")
    rowsm = []
    for exact_point in (True, False):
        for k in (8, 16, 32, 64, 128):
            layers = concurrent_lines(k, exact_point)
            net = exact_net(layers)
            exact = regions(net, [(-1, 1), (-1, 1)]).activation_regions
            try:
                rc = run_regioncam(layers)
            except ImportError:
                rc = None
            rowsm.append({"k": k, "exactly_concurrent": exact_point, "exact": exact, "regioncam": rc})
            kind = "exactly through one point (exact answer 2k)" if exact_point else \
                "through a float32-rounded point (not exactly concurrent)"
            flag = "" if rc == exact else "   <-- regioncam miscounts"
            print(f"{k:4d} float32 lines {kind}: exact {exact}, regioncam {rc}{flag}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"2d": rows2, "nd": rowsn, "miscounts": rowsm}, fh, indent=1)


if __name__ == "__main__":
    main()
