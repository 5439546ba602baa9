#!/usr/bin/env python3
"""bench/results.py: assemble bench/RESULTS.md (or RESULTS-quick.md) from
the tables bench/run.sh left in build/bench/md/ and the raw data beside
them. Called by bench/run.sh; not meant to be run alone."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import bench  # noqa: E402

B = bench.OUT


def sh(cmd: str) -> str:
    try:
        return subprocess.run(cmd, shell=True, cwd=ROOT, capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except subprocess.TimeoutExpired:
        return "?"


def md(name: str) -> str:
    p = B / "md" / name
    # lstrip("\n") only: a table may open with an indented command (a code block)
    return p.read_text().rstrip().lstrip("\n") if p.is_file() and p.read_text().strip() \
        else "(not run)"


def floor_goal(table: str) -> str:
    ratios = []
    for line in table.splitlines():
        cols = [c.strip() for c in line.strip("|").split("|")]
        if len(cols) == 5 and re.match(r"^\d+\.\d+$", cols[4]):
            ratios.append((cols[0], cols[1], float(cols[4])))
    if not ratios:
        return ""
    bad = [f"{e} {h} ({r:.2f})" for e, h, r in ratios if r < 0.9]
    return ("Goal *ratio at least 0.9*: " + ("**met** for all four rows." if not bad else
            "**not met** for " + ", ".join(bad) + "; met for the other rows."))


def crosscheck() -> str:
    res = bench.load(B / "ttb" / "results.jsonl")
    rows = ["| bug | ./pry fuzz (AFL++, seed 1): time_to_find_s / execs_to_find | "
            "bench.py driver (AFL++, seed 1): s / execs |", "| --- | ---: | ---: |"]
    any_row = False
    for f in sorted(B.glob("cross-*.json")):
        pl = f.stem[len("cross-"):]
        try:
            j = json.loads(f.read_text())
            fd = j["findings"][0] if j.get("findings") else None
        except (OSError, ValueError):
            fd = None
        mine = [x for x in res if x["plant"] == pl and x["engine"] == "afl" and x["kind"] == "typed"
                and x["seed"] == 1]
        m = mine[0] if mine else None
        rows.append(f"| `{pl}` | " + (f"{fd['time_to_find_s']} / {fd['execs_to_find']}" if fd
                                      else "no finding") + " | " +
                    (f"{m['time_s']:.2f} / {m['execs']}" if m and m.get("found") else "-") + " |")
        any_row = True
    return "\n".join(rows) if any_row else "(not run)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--plots", required=True)
    ap.add_argument("--params", required=True)
    ap.add_argument("--quick", default="0")
    ap.add_argument("--seconds", type=int, default=0)
    a = ap.parse_args()
    out = ROOT / a.out
    rel_plots = os.path.relpath(ROOT / a.plots, out.parent)
    commit = sh("git rev-parse --short HEAD")
    dirty = sh("git status --porcelain --untracked-files=no")
    untracked_h = sh("git status --porcelain harnesses/ bench/ | grep '^??' | awk '{print $2}' | tr '\\n' ' '")
    model = sh("lscpu | sed -n 's/^Model name: *//p'")
    cores = sh("nproc")
    mhz = sh("lscpu | sed -n 's/^CPU max MHz: *//p;s/^CPU MHz: *//p' | head -1")
    load = sh("cat /proc/loadavg")
    versions = {
        "AFL++": sh("afl-fuzz -h 2>&1 | grep -m1 -o 'afl-fuzz++[0-9.a-z]*'") or
        sh("dpkg-query -W -f '${Version}' afl++ 2>/dev/null"),
        "clang": sh("clang --version | head -1"),
        "gcc": sh("cc --version | head -1"),
        "valgrind": sh("valgrind --version"),
        "gnuplot": sh("gnuplot --version"),
        "GNU patch": sh("patch --version | head -1"),
        "libnghttp2": sh("dpkg-query -W -f '${Version}' libnghttp2-dev 2>/dev/null"),
    }
    params = dict(x.split("=", 1) for x in a.params.split())
    quick = a.quick == "1"
    plants = bench.plants()
    nic_expect = [r for r in plants if r["target"] == "nic" and r["prop_from"] == "expect"]

    def img(name: str, alt: str) -> str:
        p = ROOT / a.plots / name
        return f"![{alt}]({rel_plots}/{name})" if p.is_file() else f"({name}: not produced)"

    o = []
    o.append("# pry benchmarks" + (" (quick run)" if quick else ""))
    o.append("")
    durs = {}
    for sec in ("floor", "execs", "gen", "ttb", "shrink", "challenge", "refs", "demo", "extlib",
                "extlib-cov", "plots"):
        f = B / "durations" / sec
        if f.is_file() and f.read_text().strip().isdigit():
            durs[sec] = int(f.read_text())
    total = sum(durs.values()) or a.seconds
    o.append(f"Produced by `{'make bench-quick' if quick else 'make bench'}` "
             f"(`{'BENCH_QUICK=1 ' if quick else ''}bash bench/run.sh`): {total // 60} min "
             f"{total % 60} s of measuring ("
             + ", ".join(f"{k} {v} s" for k, v in durs.items()) +
             f"); assembled {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")
    if quick:
        o.append("A smoke run: one seed, short limits. The numbers are only indicative; "
                 "`bench/RESULTS.md` has the full run.")
    o.append("")
    o.append(f"- **Commit** `{commit}`" + (" (with uncommitted changes to tracked files)" if dirty else "")
             + (f"; untracked at run time: {untracked_h.strip()}" if untracked_h.strip() else ""))
    o.append(f"- **Machine** {model}, `nproc` = {cores}" + (f", {mhz} MHz" if mhz else "") +
             "; a VM shared with other engineers, so absolute rates vary from run to run: "
             "ratios are taken against baselines measured in the same run, alternately.")
    o.append(f"- **Load average** at the end: {load}")
    o.append("- **Tools** " + "; ".join(f"{k} {v}" for k, v in versions.items() if v))
    o.append(f"- **Parameters** `{a.params}`")
    o.append("")
    o.append(f"Raw data: `{os.path.relpath(B, ROOT)}/` (JSON lines per run, logs, engine output). Each table "
             "names the command that re-runs it alone; `BENCH_ONLY=\"ttb shrink\" bash bench/run.sh` "
             "re-runs a subset and reassembles this file from the rest.")
    o.append("")

    # 1 floor
    floor = md("floor.md")
    o.append("## 1. Kit floor: an empty property against a bare `LLVMFuzzerTestOneInput`")
    o.append("")
    o.append(f"    SECONDS_PER={params['FLOOR_SECS']} REPS={params['FLOOR_REPS']} bash bench/floor.sh")
    o.append("")
    o.append("execs/s of `bench/harnesses/floor` (`empty`: no draw; `one_draw`: one `pry_u32` and "
             "one check) against `bench/baseline/bare.c` doing the same read and compare, same "
             "flags, alternated in the same run; ratio of the medians.")
    o.append("")
    o.append(floor)
    o.append("")
    o.append(floor_goal(floor))
    o.append("")

    # 2 per harness
    o.append("## 2. Per property: execs/s and the share of time spent generating")
    o.append("")
    o.append(f"    python3 bench/bench.py execs --harnesses {params['EXECS_HARNESSES']} "
             f"--secs {params['EXECS_SECS']} --reps {params['EXECS_REPS']}")
    o.append(f"    python3 bench/bench.py gen --harnesses {params['EXECS_HARNESSES']} "
             f"--inputs {params['GEN_INPUTS']}")
    o.append("")
    o.append(f"execs/s: `afl-fuzz -V {params['EXECS_SECS']}` (one instance, no cmplog, the "
             "committed seeds, `PRY_TEST=<property>`; execs_done / run_time from fuzzer_stats) and "
             f"libFuzzer `-max_total_time={params['EXECS_SECS']}` (ASan+UBSan build, "
             "`stat::average_exec_per_sec`), alternating the engines, median (min..max) over "
             f"{params['EXECS_REPS']} runs each, correct build (no plant).")
    o.append("")
    o.append("Kit share: `valgrind --tool=callgrind --toggle-collect=LLVMFuzzerTestOneInput` on "
             "the AFL++ build (debug info stripped: valgrind 3.19 cannot read clang 14's DWARF 5), "
             "run over the AFL++ queue that the last execs/s run left (up to "
             f"{params['GEN_INPUTS']} inputs, topped up with bytes from a PRNG seeded by the "
             "property's name). Instructions are counted deterministically. The kit's share is "
             "the self cost of every function defined in `build/afl/libpry.a` and "
             "`fuzz_entry.o` (the choice source, generators, arena, report plumbing: "
             "`generators/*.c`) over everything executed inside `LLVMFuzzerTestOneInput`. "
             "libc called by the kit (memset, malloc) and user-side generators in `harnesses/` "
             "count as the property; in parentheses, the share when the libc that kit functions "
             "call directly for the kit's own work counts as the kit too (pry_run_one's setjmp, "
             "the fuzz entry's coverage reset, the arena's malloc, a string generator's strlen; "
             "not the zeroing, formatting and copying that pry_alloc, pry_sprintf and pry_strdup "
             "do for the property). `patch/gnu_agrees` runs GNU patch in a child process for "
             "every input; callgrind does not follow children, so that work is not counted at "
             "all and its share is of the harness process only.")
    o.append("")
    o.append(md("execs.md"))
    o.append("")

    # 3 ttb
    o.append("## 3. Time to bug")
    o.append("")
    o.append(f"    python3 bench/bench.py ttb --seeds {params['TTB_SEEDS']} --limit {params['TTB_LIMIT']} "
             f"--parallel {params['TTB_PARALLEL']} --engines {params['TTB_ENGINES']} "
             f"--raw-engines {params['TTB_RAW_ENGINES']}")
    o.append("")
    o.append(
        "Every planted bug of `targets/*/plants.tsv`, on its planted build, with the property "
        "of `harnesses/<h>/plants/<bug>.expect`"
        + ("" if len(nic_expect) == 6 else
           " (nic has no `.expect` files yet: its properties are taken from the table in "
           "`harnesses/nic/README.md`)")
        + f". Seeds 1..{params['TTB_SEEDS']}, at most {params['TTB_LIMIT']} s per run. "
        "The engines are driven by `bench/bench.py` with the argv and environment of "
        "`./pry fuzz` (AFL++: `-c` cmplog on the single instance or on `s1`, the autodict and "
        "`corpora/<h>/*.dict` with `-x`, the committed seeds, `-s SEED`; libFuzzer on the "
        "ASan+UBSan build with the merged dictionary and `-seed=SEED`; random mode: the plain "
        "binary `--test P --seed S --time L --no-shrink`), but each run starts from a fresh "
        "folder: `./pry fuzz` resumes from `pry-out/corpus/`, which would hand seed 2 the "
        "corpus of seed 1. **Time** is wall clock from launching the engine until the first "
        "failing input is saved (start-up included; AFL++'s cmplog start-up is most of it "
        "for the quick bugs). **Executions** are AFL++'s `execs:` in the crash file name (for "
        "`--jobs 2`: of the instance that found it), libFuzzer's "
        "`stat::number_of_executed_units`, random mode's failing run + 1. Each finding is "
        "replayed on the correct build and counts only if it passes there. "
        f"Single-core campaigns ran {params['TTB_PARALLEL']} at a time on the 2 cores "
        "(AFL++ `--jobs 2` alone), so times include some contention; executions do not.")
    o.append("")
    o.append(
        "The **raw-bytes harnesses** (`bench/harnesses/{patch,h2,nic}_raw/`) make the same "
        "checks with inputs taken straight from one `pry_blob` (a 2-byte length, then the "
        "bytes), no typed generators: patch `roundtrip` (a, b split at the first NUL), "
        "`parse` (diff text up to the first NUL, then the file), `no_escape` (byte 0 = -p, "
        "then the name); h2 `parse`, `chunked` (byte 0 = chunk length), `continuation` (bytes "
        "0, 1 = the limits) through `harnesses/h2/feed.c` itself, `hpack` (one block, ours vs "
        "nghttp2), `hpack_evict` (byte 0 = table size, fields split at NULs); nic `model`, "
        "`hostile` (7 configuration bytes, then 4 bytes per operation) through "
        "`harnesses/nic/nic_ref.c` itself, `config` (9 bytes, the validity and size checks "
        "of `config.c`). They get no committed seeds (one `\\0`) but the target's "
        "dictionary.")
    o.append("")
    o.append(md("ttb.md"))
    o.append("")
    o.append(img("time_to_bug.png", "time to bug per planted bug and engine"))
    o.append("")

    # 4 shrink
    o.append("## 4. Shrinking: pry against afl-tmin")
    o.append("")
    o.append("    python3 bench/bench.py shrink")
    o.append("")
    o.append("For every planted bug, the raw input the lowest-seed AFL++ (1 core) run saved "
             "and the one the lowest-seed libFuzzer run saved (random mode's when neither "
             "found it) are each shrunk by the plain planted build "
             "(`build/plain+P/<h> --shrink RAW --test P -o OUT --json F`, its default budget) "
             "and by `afl-tmin -i RAW -o OUT -t 5000 -- build/afl+P/<h>` with `PRY_TEST=P` "
             "(AFL++'s own minimiser: crash mode, it keeps any crash; AFL++'s findings only). "
             "\"pry: the known minimum\" compares the shrunk typed draws with the `.expect` "
             "file's (`no: another failure` when the finding fails at another check than the "
             "plant's committed `.cbor`: a failure with a minimum of its own, which shrinking "
             "never turns into this one); the goal is every bug there within 2 s from both "
             "engines. Sizes are bytes of "
             "choice-source input; the known minimal is the `.expect` file's `bytes` (the "
             "shrunk size `make test` checks). pry's time is wall clock of the whole "
             "`--shrink` run (tries run in one long-lived child). The last column replays afl-tmin's output "
             "on the plain planted build: `yes` if it fails at the same check site as pry's "
             "result.")
    o.append("")
    o.append(md("shrink.md"))
    o.append("")

    o.append("### Lines of code: the nic model harness before and after `pry_steps`")
    o.append("")
    o.append("    bash bench/loc.sh")
    o.append("")
    o.append("The `model` and `hostile` properties of `harnesses/nic/` before their port onto "
             "the kit's stateful API (pry.h §13; before: a hand-rolled operation type, its "
             "generator and printer, and a run loop with notes) and now (commands in "
             "`nic_steps.c`). `nic_ref.c` is the reference model, which the port keeps.")
    o.append("")
    o.append(md("loc.md"))
    o.append("")

    # 4b the Shrinking Challenge
    o.append("## 4b. The Shrinking Challenge")
    o.append("")
    o.append("    python3 bench/challenge.py --seeds 5")
    o.append("")
    o.append("The public benchmark of shrinkers (github.com/jlink/shrinking-challenge), "
             "written with pry in `bench/harnesses/challenge/challenge.c`, generators of "
             "the references' shape. Each challenge runs in random mode with seeds 1 to 5 "
             "(a different starting point each) and is shrunk with the default budget; "
             "\"seeds at minimum\" counts the runs that printed exactly the stated minimal "
             "counterexample (pry's order is Hypothesis's, so where a challenge allows "
             "several minima the stated one is that order's), \"worst result\" is the "
             "largest printed. Times are the runner's shrink time (tries run in one "
             "long-lived child). The last column summarises the reports the challenge "
             "repository publishes for the other libraries (different machines and run "
             "counts: what they reached, not how fast).")
    o.append("")
    o.append(md("challenge.md"))
    o.append("")

    # 5 refs
    o.append("## 5. The targets against their references")
    o.append("")
    o.append(f"### prypatch vs GNU patch\n\n    REPS={params['REF_PATCH_REPS']} bash bench/bench_patch.sh\n")
    o.append(md("ref_patch.md"))
    o.append("")
    o.append(f"### h2 vs nghttp2\n\n    sh bench/bench_h2.sh {params['REF_H2_REPS']}\n")
    h2 = (B / "logs" / "ref_h2.out")
    o.append(h2.read_text().strip() if h2.is_file() else "(not run)")
    o.append("")
    o.append(f"### nic: nicbench against a bare ring, by batch size\n\n    sh bench/nic/run.sh {params['NIC_SECS']}\n")
    o.append("Forwarded packets per second (60-byte frames, one queue pair, driver and "
             "simulated NIC in two processes over shared memory), as a ratio of the "
             "baseline measured in the same run: a bare single-producer/single-consumer "
             "ring between the same two processes over the same shared memory, moving the "
             "same descriptors and buffers (`nicbench --baseline`, "
             "`targets/nic/tools/bare_ring.h`). Absolute Mpps on a shared VM do not hold "
             "from one machine to the next (41 and 13 Mpps for the same build on two "
             "machines of one kind); the ratio is what the driver and simulator cost. "
             "\"Fill (all polls)\" counts empty polls, so it measures how often the "
             "forwarder found the device behind, not the driver: see `bench/nic/RESULTS.md`.")
    o.append("")
    o.append(md("nic.md"))
    o.append("")
    o.append(img("nic_mpps.png", "nicbench: driver rate as a share of the bare ring, by batch size"))
    o.append("")

    # demo
    o.append("## Coverage over time: one demo campaign")
    o.append("")
    o.append(f"    PRY_ROOT=<a copy without pry-out> ./pry fuzz patch --plant no-newline --engine afl "
             f"--seed 1 --time {params['DEMO_SECS']}")
    o.append("")
    o.append("Edges and corpus size from the campaign's `progress.csv` (one sample a second, "
             "AFL++ over StatsD); red points: samples where findings > 0.")
    o.append("")
    o.append(img("coverage.png", "coverage over time of the demo campaign"))
    o.append("")
    dj = B / "demo.json"
    if dj.is_file():
        try:
            j = json.loads(dj.read_text())
            fs = j.get("findings", [])
            o.append(f"Campaign: {j.get('seconds')} s, {j.get('execs')} execs "
                     f"({j.get('execs_per_sec')}/s), {len(fs)} finding(s)" +
                     (f"; first after {fs[0].get('time_to_find_s')} s, "
                      f"{fs[0].get('execs_to_find')} execs, shrunk to {fs[0].get('shrunk_bytes')} bytes"
                      if fs else "") + ".")
        except (OSError, ValueError):
            pass
    o.append("")
    o.append("**Cross-check** of the direct engine driving against the wrapper: `./pry fuzz "
             "<target> --plant <bug> --engine afl --seed 1 --json F` (fresh `pry-out/`) "
             "against `bench.py`'s AFL++ seed-1 run of the same bug. The wrapper's time is "
             "AFL++'s `time:` field (from AFL++'s own start, after start-up), so it is "
             "smaller than the wall clock.")
    o.append("")
    o.append(crosscheck())
    o.append("")
    o.append("## Time to a campaign: a library built from source")
    o.append("")
    o.append(md("extlib.md"))
    o.append("")
    o.append("## Coverage: a library built from source against its binary package")
    o.append("")
    o.append(md("extlib_cov.md"))
    o.append("")
    o.append("## Notes")
    o.append("")
    notes = [
        "`./pry fuzz` does not accept harnesses under `bench/harnesses/` "
        "(`Project.harness_dir` looks in `harnesses/` only), another reason the engines are "
        "driven directly.",
    ]
    if len(nic_expect) < 6:
        notes.append("harnesses/nic has no `plants/*.expect` yet (work in progress by another "
                     "engineer at the time of the run): nic's bugs are included with the "
                     "properties of its README's table, and without a known minimal size in "
                     "the shrinking table.")
    for n in notes:
        o.append(f"- {n}")
    o.append("")
    extra = B / "notes.md"  # run-specific remarks, written by hand next to the data
    if extra.is_file() and extra.read_text().strip():
        o.append("### On this run")
        o.append("")
        o.append(extra.read_text().strip())
        o.append("")
    out.write_text("\n".join(o) + "\n")


if __name__ == "__main__":
    main()
