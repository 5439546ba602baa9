#!/usr/bin/env python3
"""bench/coverage.py: coverage after a fixed time, AFL++ with byte mutation
against AFL++ with pry's typed mutator (--mutator typed), on the correct
build of each target. Two measures:

  - the branch (and line) coverage of the target's own code, as `./pry cov`
    measures it: the AFL++ queue is replayed by the `cov` build (clang
    source-based coverage) and llvm-cov counts every file except the kit's
    and the harness's (wrapper/prylib/cov.py's IGNORE). This is the
    issue's measure, and the one the ratio is of;
  - AFL++'s own edge count (fuzzer_stats edges_found), which counts the
    harness and the kit too.

Runs are driven like bench/bench.py's (same argv, environment and fresh
folders), one at a time per core.

    python3 bench/coverage.py --secs 600 --seeds 1 --targets h2/hpack_vs_nghttp2,...

Writes $BENCH_DATA/coverage.jsonl and coverage.md (a table: median branch
coverage and edges per mode, and the typed/bytes ratios)."""

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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "wrapper"))
from prylib import cov  # noqa: E402  (./pry cov's replay and summary)


def target_coverage(h: str, prop: str, queue: Path, work: Path) -> dict:
    """Branch and line coverage of the code under test by the inputs in
    |queue|, measured as ./pry cov does (the cov build's replay, merged,
    summed over the files it counts)."""
    binary = bench.build("cov", h)
    inputs, raw = work / "cov-inputs", work / "profraw"
    for d in (inputs, raw):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    for f in sorted(queue.iterdir()):
        if f.is_file() and f.stat().st_size > 0:
            shutil.copyfile(f, inputs / f.name)
    r = cov.replay(binary, inputs, prop, str(raw / "cov-%m.profraw"), bench.ROOT)
    if r.returncode != 0:
        raise SystemExit(f"bench coverage: replaying {inputs} failed")
    totals = cov.merge_export(binary, sorted(raw.glob("*.profraw")), work / "cov.profdata",
                              bench.ROOT)["totals"]
    return {"branches": totals["branches"]["covered"], "branches_of": totals["branches"]["count"],
            "lines": totals["lines"]["covered"], "lines_of": totals["lines"]["count"]}


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
            "execs": get("execs_done"),
            **target_coverage(h, prop, out / "main" / "queue", work)}


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
        bench.build("afl", h), bench.build("afl-cmplog", h), bench.build("cov", h)
        if typed:
            bench.build("mutator", h)
    bench.OUT.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=a.parallel) as pool:
        res = list(pool.map(lambda j: one(j[0], j[1], j[2], a.secs), jobs))
    with open(bench.OUT / "coverage.jsonl", "w") as f:
        for r in res:
            f.write(json.dumps(r) + "\n")
    lines = ["| property | target branches: bytes | typed | typed / bytes | "
             "AFL++ edges: bytes | typed | typed / bytes | execs bytes | execs typed |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    med = lambda rs, k: statistics.median(r[k] for r in rs)  # noqa: E731
    for t in a.targets.split(","):
        b = [r for r in res if r["target"] == t and r["mode"] == "bytes"]
        ty = [r for r in res if r["target"] == t and r["mode"] == "typed"]
        of = b[0]["branches_of"]
        bb, bt = med(b, "branches"), med(ty, "branches")
        eb, et = med(b, "edges"), med(ty, "edges")
        lines.append(f"| `{t}` | {bb:g}/{of} | {bt:g}/{of} | {bt / bb:.2f} | {eb:g} | {et:g} | "
                     f"{et / eb:.2f} | {med(b, 'execs'):g} | {med(ty, 'execs'):g} |")
    (bench.OUT / "coverage.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
