"""Benchmark the exact breakpoint propagator against its float64 twin and regioncam.

For each network this prints, in one run:

* exact: ``exactrelu.propagate`` (exact integer columns), time and output pieces;
* float64: ``exactrelu.propagate_float64`` (the same algorithm in float64);
* regioncam: ``regioncam.Regioncam1D`` on the same segment (float32, Rust),
  which reports activation regions (it does not merge collinear neighbours);
* the ratios exact/float64 and regioncam/exact, and the peak RSS of each run.

Networks: the tent map D^k on [0, 1] (k = 16, 18, 20 by default; ``--full``
adds 22 and 24) and seeded random 1-32-32-32-1 nets (dyadic weights n/64, and
float32 He-normal weights converted to rationals exactly).

Every (network, tool) measurement runs in a fresh subprocess, so the peak
memory is that tool's own and one run's garbage cannot slow down the next.
A measurement is repeated ``--repeat`` times (best time kept), except that a
run slower than ``--single-above`` seconds is not repeated.

The exact count of D^k on [0, 1] must be 2^k: the script asserts it.  A float64
or regioncam count that differs from the exact one is flagged in the table: that
is a finding about the float tool, not an error of the script.

Usage::

    python benchmarks/bench_propagate.py                 # k = 16, 18, 20 + random nets
    python benchmarks/bench_propagate.py --full          # adds k = 22, 24 (minutes, ~7 GB)
    python benchmarks/bench_propagate.py --k 20 --repeat 5 --no-random
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from _nets import BenchNet, random_dyadic_net, random_float32_net, tent_map  # noqa: E402

TOOLS = ("exact", "float64", "regioncam")
#: Budgets handed to the propagator: large enough for D^24 (2^24 segments).
MAX_PIECES = 1 << 26
MAX_CELLS = 1 << 31


# --------------------------------------------------------------------------- networks
def build_net(spec: dict) -> BenchNet:
    kind = spec["kind"]
    if kind == "tent":
        return tent_map(spec["k"])
    domain = tuple(Fraction(v) for v in spec["domain"])
    if kind == "dyadic":
        return random_dyadic_net(seed=spec["seed"], domain=domain)
    if kind == "float32":
        return random_float32_net(seed=spec["seed"], domain=domain)
    raise ValueError(f"kind={kind!r} is not a known network kind")


# --------------------------------------------------------------------------- one measurement
def _measure_once(tool: str, net: BenchNet):
    """Return (seconds, pieces, regions) of one run of ``tool`` on ``net``."""
    lo, hi = net.domain
    if tool == "exact":
        from exactrelu import ReLUNetwork, propagate

        rnet = ReLUNetwork(net.exact_layers)
        start = time.perf_counter()
        trace = propagate(rnet, (lo, hi), max_pieces=MAX_PIECES, max_cells=MAX_CELLS)
        pieces = trace.pieces
        regions = trace.activation_regions
        return time.perf_counter() - start, pieces, regions
    if tool == "float64":
        from exactrelu import ReLUNetwork, propagate_float64

        rnet = ReLUNetwork(net.exact_layers)
        start = time.perf_counter()
        result = propagate_float64(rnet, (lo, hi), max_pieces=MAX_PIECES, max_cells=MAX_CELLS)
        return time.perf_counter() - start, result.output_pieces, result.activation_regions
    if tool == "regioncam":
        from _peers import regioncam_pieces

        regions, seconds = regioncam_pieces(net.float_layers, float(lo), float(hi))
        return seconds, None, regions
    raise ValueError(f"tool={tool!r} is not one of {TOOLS}")


def worker(spec: dict, tool: str, repeat: int, single_above: float) -> dict:
    net = build_net(spec)
    times = []
    pieces = regions = None
    for _ in range(repeat):
        seconds, pieces, regions = _measure_once(tool, net)
        times.append(seconds)
        if seconds > single_above:
            break
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "tool": tool,
        "best": min(times),
        "times": times,
        "pieces": pieces,
        "regions": regions,
        "peak_rss_mb": peak_kb / 1024,
    }


def run_in_subprocess(spec: dict, tool: str, args) -> dict:
    command = [
        sys.executable,
        os.path.abspath(__file__),
        "--_worker",
        json.dumps({"spec": spec, "tool": tool}),
        "--repeat",
        str(args.repeat),
        "--single-above",
        str(args.single_above),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=args.timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"tool": tool, "error": f"timeout after {args.timeout:g} s"}
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"tool": tool, "error": f"exit {done.returncode}: {tail}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- table
def _fmt_time(result: dict | None) -> str:
    if result is None:
        return "-"
    if "error" in result:
        return "FAILED"
    best = result["best"]
    return f"{best:.3f}" if best >= 0.1 else f"{best:.2g}"


def _fmt_ratio(num: dict | None, den: dict | None) -> str:
    if not num or not den or "error" in num or "error" in den or den["best"] <= 0:
        return "-"
    ratio = num["best"] / den["best"]
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.2g}"


def _count(result: dict | None, key: str):
    if not result or "error" in result:
        return None
    return result.get(key)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k", default="16,18,20", help="tent-map depths, comma separated")
    parser.add_argument("--full", action="store_true", help="also k = 22, 24")
    parser.add_argument("--no-random", action="store_true", help="skip the random nets")
    parser.add_argument("--no-tent", action="store_true", help="skip the tent maps")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random nets")
    parser.add_argument(
        "--domain", default="-1,1", help="domain of the random nets, 'lo,hi' (rationals)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of N (default 3)")
    parser.add_argument(
        "--single-above",
        type=float,
        default=20.0,
        help="do not repeat a run slower than this many seconds",
    )
    parser.add_argument(
        "--timeout", type=float, default=3600.0, help="per-measurement timeout in seconds"
    )
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help=f"subset of {','.join(TOOLS)}"
    )
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument("--_worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._worker:
        job = json.loads(args._worker)
        print(json.dumps(worker(job["spec"], job["tool"], args.repeat, args.single_above)))
        return 0

    tools = [t for t in args.tools.split(",") if t]
    for tool in tools:
        if tool not in TOOLS:
            parser.error(f"--tools: {tool!r} is not one of {TOOLS}")
    if "regioncam" in tools:
        from _peers import regioncam_available

        if not regioncam_available():
            print("regioncam is not importable (pip install regioncam): skipping it\n")
            tools.remove("regioncam")

    specs = []
    if not args.no_tent:
        ks = sorted({int(k) for k in args.k.split(",") if k} | ({22, 24} if args.full else set()))
        specs += [{"kind": "tent", "k": k} for k in ks]
    if not args.no_random:
        domain = [str(Fraction(v)) for v in args.domain.split(",")]
        specs += [
            {"kind": "dyadic", "seed": args.seed, "domain": domain},
            {"kind": "float32", "seed": args.seed, "domain": domain},
        ]

    header = (
        f"{'network':<38} {'exact s':>9} {'f64 s':>9} {'ex/f64':>7} {'rcam s':>9} "
        f"{'rcam/ex':>8} {'exact pieces':>13} {'f64 pieces':>11} {'rcam regions':>13} "
        f"{'exact regions':>13} {'peak MB ex/f64/rcam':>20}"
    )
    print(header)
    print("-" * len(header))
    all_rows = []
    findings = []
    for spec in specs:
        net = build_net(spec)
        results = {tool: run_in_subprocess(spec, tool, args) for tool in tools}
        exact, f64, rcam = (results.get(t) for t in TOOLS)
        exact_pieces = _count(exact, "pieces")
        exact_regions = _count(exact, "regions")
        if spec["kind"] == "tent" and exact is not None and "error" not in exact:
            assert exact_pieces == net.expected_pieces, (
                f"{net.name}: exact propagate reports {exact_pieces} pieces on [0, 1], "
                f"expected 2^{spec['k']} = {net.expected_pieces}"
            )
        f64_pieces = _count(f64, "pieces")
        rcam_regions = _count(rcam, "regions")
        flags = ""
        if exact_pieces is not None and f64_pieces is not None and f64_pieces != exact_pieces:
            flags += "F"
            findings.append(f"{net.name}: float64 twin {f64_pieces} pieces, exact {exact_pieces}")
        if exact_regions is not None and f64 and "error" not in f64 and f64["regions"] != exact_regions:
            flags += "f"
            findings.append(
                f"{net.name}: float64 twin {f64['regions']} activation regions, exact {exact_regions}"
            )
        if exact_regions is not None and rcam_regions is not None and rcam_regions != exact_regions:
            flags += "R"
            findings.append(
                f"{net.name}: regioncam {rcam_regions} regions, exact {exact_regions} "
                f"activation regions ({exact_pieces} pieces)"
            )
        for tool, result in results.items():
            if "error" in result:
                findings.append(f"{net.name}: {tool} failed: {result['error']}")
        peaks = "/".join(
            f"{r['peak_rss_mb']:.0f}" if r and "error" not in r else "-" for r in (exact, f64, rcam)
        )
        print(
            f"{net.name:<38} {_fmt_time(exact):>9} {_fmt_time(f64):>9} "
            f"{_fmt_ratio(exact, f64):>7} {_fmt_time(rcam):>9} {_fmt_ratio(rcam, exact):>8} "
            f"{exact_pieces if exact_pieces is not None else '-':>13} "
            f"{f64_pieces if f64_pieces is not None else '-':>11} "
            f"{rcam_regions if rcam_regions is not None else '-':>13} "
            f"{exact_regions if exact_regions is not None else '-':>13} {peaks:>20} {flags}",
            flush=True,
        )
        all_rows.append({"network": net.name, "spec": spec, "results": results})

    print()
    print(
        f"times: best of {args.repeat} (single run above {args.single_above:g} s), wall clock, "
        "one process per measurement; regioncam counts activation regions (float32)."
    )
    print("flags: F = float64 pieces differ from exact, f = float64 regions differ, "
          "R = regioncam regions differ from exact activation regions")
    if findings:
        print("findings:")
        for line in findings:
            print("  " + line)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(all_rows, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
