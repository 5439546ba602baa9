#!/usr/bin/env python3
"""bench/coverage.py: coverage after a fixed time, AFL++ with byte mutation
against AFL++ with pry's typed mutator (--mutator typed), on the correct
build of each target. The measure is AFL++'s own edge count (fuzzer_stats
edges_found) of the harness and its target: `./pry cov` (line and branch
coverage of the target alone) is not in this tree. Runs are driven like
bench/bench.py's (same argv, environment and fresh folders), one at a time
per core.

    python3 bench/coverage.py --secs 600 --seeds 1 --targets h2/hpack_vs_nghttp2,...

Writes $BENCH_DATA/coverage.jsonl and coverage.md (a table: median edges
per mode and the typed/bytes ratio)."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the same builds, seeds, dictionaries and env)


def one(target: str, typed: bool, seed: int, secs: int) -> dict:
    h, prop = target.split("/")
    binary, cmplog = bench.build("afl", h), bench.build("afl-cmplog", h)
    work = bench.OUT / "coverage" / f"{h}-{prop}-{'typed' if typed else 'bytes'}-{seed}"
    bench.stage(work / "in", h, prop)
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    env = bench.afl_env(prop, False)
    if typed:
        env["AFL_CUSTOM_MUTATOR_LIBRARY"] = str(bench.build("mutator", h))
    argv = ["afl-fuzz", "-i", str(work / "in"), "-o", str(out), "-M", "main",
            "-c", str(cmplog)]
    for d in bench.dicts(h, prop, binary.parent / "autodict.dict")[:4]:
        argv += ["-x", str(d)]
    argv += ["-s", str(seed), "-V", str(secs), "--", str(binary)]
    with open(work / "afl.log", "wb") as log:
        p = subprocess.Popen(argv, cwd=bench.ROOT, env=env, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        p.wait(timeout=secs + 120)
    except subprocess.TimeoutExpired:
        pass
    finally:
        bench.kill_group(p)
        bench.reap_orphans([binary, cmplog])
    stats = (out / "main" / "fuzzer_stats").read_text(errors="replace")
    get = lambda k: int(re.search(rf"^{k}\s*:\s*(\d+)", stats, re.M).group(1))  # noqa: E731
    return {"target": target, "mode": "typed" if typed else "bytes", "seed": seed,
            "secs": secs, "edges": get("edges_found"), "corpus": get("corpus_count"),
            "execs": get("execs_done")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--secs", type=int, default=600)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--targets", default="h2/hpack_vs_nghttp2,nic/model,patch/gnu_agrees")
    ap.add_argument("--parallel", type=int, default=2)
    a = ap.parse_args()
    jobs = [(t, typed, s) for t in a.targets.split(",") for s in range(1, a.seeds + 1)
            for typed in (False, True)]
    for t, typed, _ in jobs:  # build first: builds are not fuzzing time
        h = t.split("/")[0]
        bench.build("afl", h), bench.build("afl-cmplog", h)
        if typed:
            bench.build("mutator", h)
    bench.OUT.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=a.parallel) as pool:
        res = list(pool.map(lambda j: one(j[0], j[1], j[2], a.secs), jobs))
    with open(bench.OUT / "coverage.jsonl", "w") as f:
        for r in res:
            f.write(json.dumps(r) + "\n")
    lines = ["| property | AFL++ bytes: edges | AFL++ typed: edges | typed / bytes | "
             "execs bytes | execs typed |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for t in a.targets.split(","):
        b = [r for r in res if r["target"] == t and r["mode"] == "bytes"]
        ty = [r for r in res if r["target"] == t and r["mode"] == "typed"]
        mb = statistics.median(r["edges"] for r in b)
        mt = statistics.median(r["edges"] for r in ty)
        eb = statistics.median(r["execs"] for r in b)
        et = statistics.median(r["execs"] for r in ty)
        lines.append(f"| `{t}` | {mb:g} | {mt:g} | {mt / mb:.2f} | {eb:g} | {et:g} |")
    (bench.OUT / "coverage.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
