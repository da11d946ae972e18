"""Tightness table: most pieces on R found per architecture, against B1, B3 and the refined bound.

    python benchmarks/tightness.py                 # the table of benchmarks/TIGHTNESS.md (~30 s)
    python benchmarks/tightness.py --budget 20000 --workers 2
    python benchmarks/tightness.py --scheduler tcp://host:8786

Columns: best found with the full search (zigzag start, exhaustive grid for
tiny nets, seeded local search), best found by the naive baseline (seeded
local search from random starts only, same budget), B1 (Telgarsky), B3 (Serra
et al.), the upper bound used (B3 with the layer-2 refinement), and whether
the best found is proven optimal (equals that bound).  With --out DIR the
witness networks are written there as JSON (best_3x3.json, ...).
"""

from __future__ import annotations

import argparse
import os
import time

from exactrelu.search import make_executor, tightness_search

ARCHITECTURES = [(1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (4, 4), (3, 3, 3), (2, 2, 2), (3, 2, 3)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--scheduler")
    parser.add_argument("--out", help="directory for the witness networks (JSON)")
    args = parser.parse_args()
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    executor, close = make_executor(workers=args.workers, scheduler=args.scheduler)
    rows = []
    try:
        for ws in ARCHITECTURES:
            start = time.perf_counter()
            full = tightness_search(ws, budget=args.budget, seed=args.seed, executor=executor)
            naive = tightness_search(ws, budget=args.budget, seed=args.seed, executor=executor, structured=False)
            name = "x".join(map(str, ws))
            if args.out:
                full.network.save(os.path.join(args.out, f"best_{name}.json"))
            rows.append((ws, full, naive, time.perf_counter() - start))
    finally:
        close()
    print("| widths | best found | naive local search | B1 | B3 | upper bound used | status | found by |")
    print("|---|---|---|---|---|---|---|---|")
    for ws, full, naive, seconds in rows:
        status = "proven optimal" if full.proven_optimal else "lower bound"
        print(f"| {ws} | {full.pieces} | {naive.pieces} | {full.telgarsky} | {full.serra} | {full.upper_bound} "
              f"| {status} | {full.strategy} ({full.evaluations} evals, {seconds:.1f} s) |")


if __name__ == "__main__":
    main()
