"""What a user pays for the exact function, not only the counts (issue 11, items 1 and 6).

Two measurements, in one run:

1. D^k (the tent map composed k times, 2^k pieces on [0, 1]):
   ``propagate`` alone, then ``propagate + .output + .output.integral(0, 1)``
   (the column-backed :class:`~exactrelu.pwl.PiecewiseLinear`; target: at most
   1.5x propagate alone), against the float64 twin ``propagate_float64``.
2. Deep random rational nets (depth 6-12, width 8-32, weights He-normal
   rounded to n/q with q drawn from 1..16 per entry, so the layer denominators
   outgrow int64 after a few layers and the exact code runs on Python ints):
   exact ``propagate`` against the float64 twin and regioncam (float32).

Every time is the best of ``--repeat`` runs.  Usage::

    python benchmarks/bench_output.py            # default sizes
    python benchmarks/bench_output.py --quick    # small sizes, for a smoke test
    python benchmarks/bench_output.py --json out.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _nets import tent_map  # noqa: E402


def best(fn, repeat: int) -> tuple[float, object]:
    """The best wall time of ``repeat`` calls and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def tent_rows(ks, repeat: int) -> list[dict]:
    from exactrelu import ReLUNetwork, propagate, propagate_float64

    rows = []
    for k in ks:
        bench = tent_map(k)
        net = ReLUNetwork(bench.exact_layers)
        lo, hi = bench.domain
        t_prop, trace = best(lambda: propagate(net, (lo, hi)), repeat)

        def full():
            t = propagate(net, (lo, hi))
            f = t.output
            return f.pieces, f.integral(0, 1)

        t_full, (pieces, integral) = best(full, repeat)
        t_float, ft = best(lambda: propagate_float64(net, (lo, hi)), repeat)
        assert pieces == 2**k and integral == Fraction(1, 2), (pieces, integral)
        rows.append({
            "k": k, "pieces": pieces, "propagate_s": t_prop, "propagate_output_integral_s": t_full,
            "ratio": t_full / t_prop, "float64_s": t_float, "float64_pieces": ft.output_pieces,
        })
    return rows


def random_rational_net(widths, seed: int):
    """He-normal weights rounded to n/q, q uniform in 1..16 per entry (non-dyadic denominators)."""
    from exactrelu import ReLUNetwork

    rng = np.random.default_rng(seed)
    sizes = [1, *widths, 1]
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        def entry(scale: float) -> Fraction:
            q = int(rng.integers(1, 17))
            return Fraction(int(np.rint(rng.standard_normal() * scale * q)), q)

        W = [[entry(np.sqrt(2.0 / fan_in)) for _ in range(fan_in)] for _ in range(fan_out)]
        b = [entry(0.1) for _ in range(fan_out)]
        layers.append((W, b))
    net = ReLUNetwork(layers)
    floats = [(np.array([[float(v) for v in row] for row in W]), np.array([float(v) for v in b]))
              for W, b in layers]
    return net, floats


def random_rows(configs, seeds, repeat: int) -> list[dict]:
    from exactrelu import propagate, propagate_float64
    from exactrelu._kernels import lines as K

    try:
        from _peers import regioncam_available, regioncam_pieces
        have_rc = regioncam_available()
    except ImportError:
        have_rc = False
    rows = []
    for depth, width in configs:
        for seed in seeds:
            net, floats = random_rational_net((width,) * depth, seed)
            domain = (-1, 1)
            t_exact, trace = best(lambda: propagate(net, domain), repeat)
            last = trace.layers[-1]._raw
            t_float, ft = best(lambda: propagate_float64(net, domain), repeat)
            row = {
                "depth": depth, "width": width, "seed": seed,
                "denominator_bits": max(K.max_abs(last.w), 1).bit_length(),
                "object_path": last.X.dtype == object,
                "regions": trace.activation_regions, "pieces": trace.pieces,
                "exact_s": t_exact, "float64_s": t_float, "float64_regions": ft.activation_regions,
            }
            if have_rc:
                t_rc = min(regioncam_pieces(floats, -1.0, 1.0)[1] for _ in range(repeat))
                row["regioncam_s"] = t_rc
                row["regioncam_regions"] = regioncam_pieces(floats, -1.0, 1.0)[0]
            rows.append(row)
    return rows


def machine() -> dict:
    info = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        info["load"] = os.getloadavg()
    except OSError:
        pass
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best is kept)")
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    ks = [10, 14] if args.quick else [16, 18, 20]
    configs = [(6, 8), (6, 16)] if args.quick else [(6, 8), (6, 16), (6, 32), (8, 16), (10, 8), (12, 8), (12, 16)]
    seeds = [0] if args.quick else [0, 1, 2]
    info = machine()
    print(f"# {info}")
    tents = tent_rows(ks, args.repeat)
    print("\n| k | pieces | propagate | + .output + .integral(0,1) | ratio | float64 twin |")
    print("|---|---|---|---|---|---|")
    for r in tents:
        print(f"| {r['k']} | {r['pieces']} | {r['propagate_s']:.3f} s | {r['propagate_output_integral_s']:.3f} s "
              f"| {r['ratio']:.2f}x | {r['float64_s']:.3f} s |")
    rand = random_rows(configs, seeds, args.repeat)
    print("\n| depth x width | seed | denominator bits | Python ints | regions | exact | float64 | regioncam "
          "| exact/float64 | exact/regioncam |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rand:
        rc = r.get("regioncam_s")
        rc_time = "-" if rc is None else f"{rc * 1e3:.2f} ms"
        rc_ratio = "-" if rc is None else f"{r['exact_s'] / rc:.0f}x"
        print(f"| {r['depth']} x {r['width']} | {r['seed']} | {r['denominator_bits']} | {r['object_path']} "
              f"| {r['regions']} (f64 {r['float64_regions']}, rc {r.get('regioncam_regions', '-')}) "
              f"| {r['exact_s'] * 1e3:.1f} ms | {r['float64_s'] * 1e3:.1f} ms "
              f"| {rc_time} | {r['exact_s'] / r['float64_s']:.1f}x | {rc_ratio} |")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"machine": info, "tent": tents, "random": rand}, fh, indent=1, default=str)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
