#!/usr/bin/env python3
"""bench/bench.py: the measurements behind bench/RESULTS.md (issue 9).
bench/run.sh calls one subcommand per table; each writes raw JSON lines
under build/bench/<section>/ and a markdown table on stdout.

  execs     execs/s of every property under AFL++ and libFuzzer
  gen       share of instructions spent in the kit (callgrind)
  ttb       time and executions to the first finding of every planted bug
  shrink    pry's shrinker against afl-tmin on the same raw finding
  tables    re-print the ttb/shrink tables from the JSON lines
  plotdata  data files for bench/plots/*.gp

Engines are driven directly, with the argv and environment ./pry fuzz uses
(wrapper/prylib/engines/*.py: cmplog on the single AFL++ instance or on
s1, the autodict plus corpora/<h>/*.dict, the committed seeds), but every
run starts from a fresh output folder: ./pry fuzz resumes from
pry-out/corpus/, which would let the second seed start from the first
seed's finding, and the raw-bytes harnesses under bench/harnesses/ are not
./pry targets. Times are wall-clock from launching the engine to the
first saved failing input (start-up included), for every engine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / os.environ.get("BENCH_DATA", "build/bench")  # build/bench-quick for quick runs

# The raw-bytes harness property that makes the same check (bench/harnesses).
RAW_PROP = {
    "no-newline": "roundtrip", "zero-range": "roundtrip", "hunk-count": "parse",
    "header-overflow": "parse", "strip-escape": "no_escape",
    "pad-underflow": "parse", "fixed-length": "parse", "advance-past-end": "chunked",
    "hpack-index": "hpack", "hpack-evict-zero": "hpack_evict",
    "continuation-flood": "continuation",
    "trust-length": "hostile", "dd-not-cleared": "model", "tail-off-by-one": "model",
    "tx-clean-wrap": "model", "queue-stride": "model", "pow2-check": "config",
}
# harnesses/nic/README.md's table, for when plants/*.expect is missing.
README_PROP = {
    "trust-length": "hostile", "dd-not-cleared": "model", "tail-off-by-one": "model",
    "tx-clean-wrap": "model", "queue-stride": "model", "pow2-check": "config",
}


# ---------------------------------------------------------------- helpers
def plants() -> list[dict]:
    """Every planted bug: target, plant, property (.expect or README), the
    known minimal size (.expect's bytes, None without .expect)."""
    rows = []
    for tsv in sorted(ROOT.glob("targets/*/plants.tsv")):
        t = tsv.parent.name
        if not (ROOT / "harnesses" / t).is_dir():
            continue
        for line in tsv.read_text().splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            p = line.split("\t")[0]
            exp = ROOT / "harnesses" / t / "plants" / f"{p}.expect"
            prop, nbytes, src = README_PROP.get(p), None, "README"
            if exp.is_file():
                text = exp.read_text()
                m = re.search(r"property (\S+)", text)
                prop = m.group(1) if m else prop
                m = re.search(r"^bytes (\d+)", text, re.M)
                nbytes = int(m.group(1)) if m else None
                src = "expect"
            rows.append({"target": t, "plant": p, "prop": prop, "min_bytes": nbytes,
                         "prop_from": src, "raw_prop": RAW_PROP.get(p),
                         "deep": "deep:" in line})
    return rows


def build(variant: str, harness: str, plant: str | None = None) -> Path:
    # Under build/.lock, as ./pry builds: runs side by side share the
    # variant's harness objects (mk/build.mk's HOBJDIR).
    (ROOT / "build").mkdir(exist_ok=True)
    argv = ["flock", "build/.lock", "make", "-s", "--no-print-directory", "-f", "mk/build.mk",
            f"VARIANT={variant}", f"HARNESS={harness}", "-j2"]
    if plant:
        argv.append(f"PLANT={plant}")
    r = subprocess.run(argv, cwd=ROOT, capture_output=True, timeout=900)
    b = ROOT / "build" / (variant + (f"+{plant}" if plant else "")) / harness
    if r.returncode != 0 or not b.exists():
        sys.stderr.write(r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace"))
        raise SystemExit(f"bench: building {variant} {harness} {plant or ''} failed")
    return b


def seed_files(harness: str, prop: str) -> list[Path]:
    """The committed seeds ./pry fuzz starts from (none for raw harnesses)."""
    if harness.endswith("_raw"):
        return []
    base = ROOT / "corpora" / harness
    for d in (base / prop / "seeds", base / "seeds"):
        if d.is_dir():
            fs = sorted(f for f in d.iterdir() if f.is_file() and f.stat().st_size > 0)
            if fs:
                return fs
    return []


def dicts(harness: str, prop: str, autodict: Path | None) -> list[Path]:
    base = ROOT / "corpora" / (harness[:-4] if harness.endswith("_raw") else harness)
    out = [autodict] if autodict and autodict.is_file() and autodict.stat().st_size else []
    out += sorted(base.glob("*.dict"))
    if not harness.endswith("_raw"):
        out += sorted((base / prop).glob("*.dict"))
    return out


def stage(dest: Path, harness: str, prop: str) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    fs = seed_files(harness, prop)
    for f in fs:
        shutil.copyfile(f, dest / ("seed-" + f.name))
    if not fs:
        (dest / "minimal").write_bytes(b"\0")


def _tree(roots: set[int]) -> set[int]:
    """roots and every descendant of them, from /proc."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = set(), list(roots)
    while todo:
        p = todo.pop()
        if p not in out:
            out.add(p)
            todo += children.get(p, [])
    return out


def kill_group(proc: subprocess.Popen) -> None:
    """Stop an engine started with start_new_session: SIGINT first (afl-fuzz
    writes its stats), then SIGKILL to the group and to every descendant:
    AFL++'s fork server calls setsid() (so it leaves the group) and its
    persistent-mode children stop themselves, so they would outlive afl-fuzz."""
    tree = _tree({proc.pid})
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=2.0)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    tree = _tree(tree) - {os.getpid()}
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for pid in tree:
        if pid != proc.pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    try:
        proc.wait(timeout=5.0)
    except subprocess.TimeoutExpired:
        pass


def reap_orphans(binaries: list[Path]) -> None:
    """SIGKILL orphaned (parent init) copies of |binaries|: persistent-mode
    targets that AFL++'s fork server left stopped when afl-fuzz ended."""
    want = {str(b.resolve()) for b in binaries}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            exe = os.readlink(d / "exe")
            ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == 1 and exe in want:
            try:
                os.kill(int(d.name), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def run_group(argv: list[str], timeout: float, **kw) -> subprocess.CompletedProcess:
    """subprocess.run in its own process group, reaped completely afterwards."""
    p = subprocess.Popen(argv, start_new_session=True, **kw)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        out, err = None, None
    kill_group(p)
    return subprocess.CompletedProcess(argv, p.returncode, out, err)


def med(xs):
    return statistics.median(xs) if xs else None


def fmt_num(x, digits=2):
    if x is None:
        return "-"
    if isinstance(x, float) and x < 10:
        return f"{x:.{digits}f}"
    return f"{x:,.0f}" if x >= 1000 else f"{x:.0f}" if x >= 10 else f"{x}"


def human(n):
    if n is None:
        return "-"
    n = float(n)
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= div:
            return f"{n / div:.3g}{unit}"
    return f"{n:.0f}"


def afl_env(prop: str, stop_on_find: bool) -> dict:
    # Unlike ./pry fuzz, no AFL_EXIT_ON_SEED_ISSUES: a seed that already
    # fails a plant (patch has 4, for no-newline and zero-range) is skipped
    # here, so the time measured is the fuzzer's, not a seed's replay.
    env = dict(os.environ)
    env.update(PRY_TEST=prop, PRY_QUIET="1", AFL_SKIP_CPUFREQ="1", AFL_FAST_CAL="1",
               AFL_CMPLOG_ONLY_NEW="1", AFL_NO_CRASH_README="1", AFL_IGNORE_UNKNOWN_ENVS="1",
               AFL_NO_UI="1", AFL_NO_AFFINITY="1")
    if stop_on_find:
        env["AFL_BENCH_UNTIL_CRASH"] = "1"
    env.pop("ASAN_OPTIONS", None)
    return env


# ---------------------------------------------------------------- one engine run
def run_afl(h, prop, plant, seed, limit, jobs, work: Path, typed: bool = False) -> dict:
    binary = build("afl", h, plant)
    cmplog = build("afl-cmplog", h, plant)
    stage(work / "in", h, prop)
    out = work / "out"
    if out.exists():
        shutil.rmtree(out)
    ds = dicts(h, prop, binary.parent / "autodict.dict")
    env = afl_env(prop, True)
    if typed:  # ./pry fuzz --mutator typed: the custom mutator library
        env["AFL_CUSTOM_MUTATOR_LIBRARY"] = str(build("mutator", h, plant))
    procs = []
    t0 = time.monotonic()
    for i in range(jobs):
        argv = ["afl-fuzz", "-i", str(work / "in"), "-o", str(out),
                "-M" if i == 0 else "-S", "main" if i == 0 else f"s{i}"]
        if (jobs == 1 and i == 0) or i == 1:
            argv += ["-c", str(cmplog)]
        for d in ds[:4]:
            argv += ["-x", str(d)]
        argv += ["-s", str(seed + i), "-V", str(int(limit)), "--", str(binary)]
        log = open(work / f"afl-{i}.log", "wb")
        procs.append(subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True))
        log.close()
    found = None
    try:
        while time.monotonic() - t0 < limit + 20:
            crashes = sorted(out.glob("*/crashes/id:*"))
            if crashes:
                found = (time.monotonic() - t0, crashes)
                break
            if all(p.poll() is not None for p in procs):
                crashes = sorted(out.glob("*/crashes/id:*"))
                if crashes:
                    found = (time.monotonic() - t0, crashes)
                break
            time.sleep(0.02)
    finally:
        for p in procs:
            kill_group(p)
        reap_orphans([binary, cmplog])
    res = {"found": False, "time_s": None, "execs": None, "input": None}
    if found:
        t, crashes = found
        c = crashes[0]
        m = re.search(r"execs:(\d+)", c.name)
        mt = re.search(r"time:(\d+)", c.name)
        res.update(found=True, time_s=t, execs=int(m.group(1)) if m else None,
                   afl_time_s=int(mt.group(1)) / 1000 if mt else None,
                   input=str(work / "finding.bin"))
        shutil.copyfile(c, work / "finding.bin")
    else:
        log = (work / "afl-0.log").read_text(errors="replace")
        if "PROGRAM ABORT" in log and "crash" in log.lower():
            # afl-fuzz refuses to start when a seed (or the driver's first
            # input) already fails: that is a finding at start-up.
            res.update(found=True, time_s=time.monotonic() - t0, execs=1, startup=True)
    return res


def run_libfuzzer(h, prop, plant, seed, limit, work: Path, typed: bool = False) -> dict:
    binary = build("libfuzzer-typed" if typed else "libfuzzer", h, plant)
    afl_bin = ROOT / "build" / "afl" / h  # the autodict comes from the afl build
    stage(work / "corpus", h, prop)
    arts = work / "artifacts"
    if arts.exists():
        shutil.rmtree(arts)
    arts.mkdir(parents=True)
    argv = [str(binary), str(work / "corpus"), f"-artifact_prefix={arts}/",
            "-print_final_stats=1", "-timeout=10", f"-max_total_time={int(limit)}",
            f"-seed={seed}"]
    ds = dicts(h, prop, None)
    if ds:
        merged = work / "merged.dict"
        merged.write_text("\n".join(d.read_text(errors="replace") for d in ds) + "\n")
        argv.append(f"-dict={merged}")
    env = dict(os.environ, PRY_TEST=prop, PRY_QUIET="1")
    env.pop("ASAN_OPTIONS", None)
    t0 = time.monotonic()
    p = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)
    t_found, execs, art = None, None, None
    try:
        assert p.stderr is not None
        with open(work / "libfuzzer.log", "wb") as log:
            for raw in p.stderr:
                log.write(raw)
                line = raw.decode(errors="replace")
                m = re.search(r"Test unit written to (\S+)", line)
                if m and t_found is None:
                    t_found, art = time.monotonic() - t0, m.group(1)
                m = re.search(r"stat::number_of_executed_units: (\d+)", line)
                if m:
                    execs = int(m.group(1))
                if time.monotonic() - t0 > limit + 30:
                    break
        p.wait(timeout=limit + 30)
    except subprocess.TimeoutExpired:
        pass
    finally:
        kill_group(p)
    res = {"found": t_found is not None, "time_s": t_found, "execs": execs if t_found else None,
           "input": None}
    if art and Path(art).is_file():
        shutil.copyfile(art, work / "finding.bin")
        res["input"] = str(work / "finding.bin")
    return res


def run_random(h, prop, plant, seed, limit, work: Path) -> dict:
    binary = build("plain", h, plant)
    js = work / "random.json"
    js.unlink(missing_ok=True)
    argv = [str(binary), "--test", prop, "--seed", str(seed), "--time", f"{limit:g}",
            "--runs", str(10 ** 15), "--no-shrink", "--save-dir", str(work / "failures"),
            "--json", str(js)]
    t0 = time.monotonic()
    try:
        subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=limit + 60, env=dict(os.environ, PRY_QUIET="1"))
    except subprocess.TimeoutExpired:
        pass
    wall = time.monotonic() - t0
    try:
        r = json.loads(js.read_text())
    except (OSError, ValueError):
        return {"found": False, "time_s": None, "execs": None, "error": "no json"}
    found = r.get("status") in ("failed", "crashed")
    return {"found": found, "time_s": wall if found else None,
            "execs": (int(r.get("run", 0)) + 1) if found else None,
            "runner_s": r.get("seconds"), "input": r.get("raw"), "runs": r.get("runs")}


ENGINES = {
    "afl": lambda h, pr, pl, s, lim, w: run_afl(h, pr, pl, s, lim, 1, w),
    "afl-j2": lambda h, pr, pl, s, lim, w: run_afl(h, pr, pl, s, lim, 2, w),
    "libfuzzer": run_libfuzzer,
    "random": run_random,
    # --mutator typed (generators/mutate.c): bench/deep.sh
    "afl-typed": lambda h, pr, pl, s, lim, w: run_afl(h, pr, pl, s, lim, 1, w, typed=True),
    "libfuzzer-typed": lambda h, pr, pl, s, lim, w: run_libfuzzer(h, pr, pl, s, lim, w,
                                                                  typed=True),
}
ENGINE_TITLE = {"afl": "AFL++ (1 core)", "afl-j2": "AFL++ --jobs 2",
                "libfuzzer": "libFuzzer", "random": "random mode",
                "afl-typed": "AFL++ typed", "libfuzzer-typed": "libFuzzer typed"}


# ---------------------------------------------------------------- ttb
def cmd_ttb(a) -> None:
    rows = [r for r in plants() if r["prop"]]
    if a.plants:
        keep = set(a.plants.split(","))
        rows = [r for r in rows if r["plant"] in keep]
    seeds = list(range(a.first_seed, a.first_seed + a.seeds))
    jobs = []  # (harness kind, row, engine, seed)
    for s in seeds:
        for r in rows:
            for e in a.engines.split(","):
                jobs.append(("typed", r, e, s))
            for e in a.raw_engines.split(","):
                if e and r["raw_prop"]:
                    jobs.append(("raw", r, e, s))
    # Build everything first (builds would otherwise count as fuzzing time).
    need = set()
    for kind, r, e, _ in jobs:
        h = r["target"] + ("_raw" if kind == "raw" else "")
        for v in {"afl": ["afl", "afl-cmplog"], "afl-j2": ["afl", "afl-cmplog"],
                  "libfuzzer": ["libfuzzer"], "random": ["plain"],
                  "afl-typed": ["afl", "afl-cmplog", "mutator"],
                  "libfuzzer-typed": ["libfuzzer-typed"]}[e]:
            need.add((v, h, r["plant"]))
        need.add(("afl", h, None))
        need.add(("plain", h, None))
    for v, h, pl in sorted(need, key=str):
        build(v, h, pl)
    out = OUT / "ttb"
    out.mkdir(parents=True, exist_ok=True)
    res_file = out / "results.jsonl"
    if not a.append:
        res_file.write_text("")

    def one(job):
        kind, r, e, s = job
        h = r["target"] + ("_raw" if kind == "raw" else "")
        prop = r["raw_prop"] if kind == "raw" else r["prop"]
        work = out / "runs" / f"{h}-{r['plant']}-{e}-{s}"
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        res = ENGINES[e](h, prop, r["plant"], s, a.limit, work)
        res.update(kind=kind, harness=h, prop=prop, plant=r["plant"], target=r["target"],
                   engine=e, seed=s, limit=a.limit)
        if res.get("found") and res.get("time_s") is not None and res["time_s"] > a.limit:
            res["found"] = False  # found, but after the limit (start-up overhead)
        if res.get("found") and res.get("input") and Path(res["input"]).is_file():
            # A finding counts only if the correct build passes the input:
            # otherwise the harness, not the planted bug, failed.
            js = work / "replay-correct.json"
            subprocess.run([str(build("plain", h)), "--repro", res["input"], "--test", prop,
                            "--json", str(js)], cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=120)
            try:
                st = json.loads(js.read_text()).get("status")
            except (OSError, ValueError):
                st = "?"
            res["correct_build"] = st
            if st in ("failed", "crashed"):
                res["found"] = False
                res["false_positive"] = True
        with open(res_file, "a") as f:
            f.write(json.dumps(res) + "\n")
        print(f"  {h}/{prop} +{r['plant']} {e} seed {s}: "
              + (f"{res['time_s']:.2f} s, {res['execs']} execs" if res["found"] else "not found"),
              file=sys.stderr, flush=True)
        return res

    serial = [j for j in jobs if j[2] == "afl-j2"]
    single = [j for j in jobs if j[2] != "afl-j2"]
    with ThreadPoolExecutor(max_workers=a.parallel) as pool:
        list(pool.map(one, single))
    for j in serial:  # two cores each: one at a time
        one(j)
    cmd_tables(argparse.Namespace(what="ttb"))


def load(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def cell(runs: list[dict], key: str, limit) -> str:
    """median (min, max) with not-found runs counted as infinitely slow."""
    if not runs:
        return "-"
    limit = max(r.get("limit") or limit for r in runs)  # these runs' own limit
    n = len(runs)
    miss = sum(1 for r in runs if not r.get("found"))
    vals = sorted(r[key] for r in runs if r.get("found") and r.get(key) is not None)
    if not vals:
        return f"not found in {limit:g} s ({miss}/{n})"
    f = (lambda v: f"{v:.2f}") if key == "time_s" else human
    inf = ">" + format(limit, "g") + " s" if key == "time_s" else "-"
    allv = vals + [None] * miss  # None = not found, sorts last
    mid = [allv[(n - 1) // 2], allv[n // 2]]
    m = inf if None in mid else f((mid[0] + mid[1]) / 2)
    s = f"{m} ({f(vals[0])}, {inf if miss else f(vals[-1])})"
    if miss:
        s += f", {miss}/{n} not found"
    return s


def ttb_table() -> str:
    res = load(OUT / "ttb" / "results.jsonl")
    if not res:
        return "(no results)\n"
    limit = max(r["limit"] for r in res)
    engines = [e for e in ENGINES if any(r["engine"] == e and r["kind"] == "typed" for r in res)]
    raw_eng = [e for e in ENGINES if any(r["engine"] == e and r["kind"] == "raw" for r in res)]
    lines = []
    for key, title in (("time_s", "seconds"), ("execs", "executions")):
        head = ["target", "bug", "property"] + [ENGINE_TITLE[e] for e in engines] + \
            [f"raw: {ENGINE_TITLE[e]}" for e in raw_eng]
        lines.append(f"**{title} to the first finding**: median (min, max) over the seeds; "
                     f"limit {limit:g} s per run\n")
        lines.append("| " + " | ".join(head) + " |")
        lines.append("| " + " | ".join(["---"] * 3 + ["---:"] * (len(head) - 3)) + " |")
        for r in plants():
            mine = [x for x in res if x["plant"] == r["plant"]]
            if not mine:
                continue
            cells = [r["target"], f"`{r['plant']}`", f"`{r['prop']}` / raw `{r['raw_prop']}`"]
            for e in engines:
                cells.append(cell([x for x in mine if x["engine"] == e and x["kind"] == "typed"],
                                  key, limit))
            for e in raw_eng:
                cells.append(cell([x for x in mine if x["engine"] == e and x["kind"] == "raw"],
                                  key, limit))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    # goals
    g = []
    afl = [x for x in res if x["engine"] == "afl" and x["kind"] == "typed"]
    slow = []
    for r in plants():
        runs = [x for x in afl if x["plant"] == r["plant"]]
        if not runs:
            continue
        m = median_time(runs)
        if not m < 10:
            slow.append(f"`{r['plant']}` (" + (f"{m:.1f} s" if m != float("inf")
                                               else "median not found") + ")")
    g.append("- Goal *median under 10 s with AFL++ (1 core) for every planted bug*: "
             + ("**met**" if not slow else "**not met**: " + ", ".join(slow)))
    per_target, partly = {}, {}
    for r in plants():
        mine = [x for x in res if x["plant"] == r["plant"]]
        for kind in ("typed", "raw"):
            rnd = [x for x in mine if x["engine"] == "random" and x["kind"] == kind]
            fz = [x for x in mine if x["engine"] in ("afl", "afl-j2", "libfuzzer")
                  and x["kind"] == kind]
            if not rnd or not fz:
                continue
            miss = sum(1 for x in rnd if not x["found"])
            fz_found = {e: all(x["found"] for x in fz if x["engine"] == e)
                        for e in {x["engine"] for x in fz}}
            name = f"`{r['plant']}` ({'raw-bytes harness' if kind == 'raw' else 'typed'})"
            if miss == len(rnd) and any(x["found"] for x in fz):
                per_target.setdefault(r["target"], []).append(name)
            elif miss and any(fz_found.values()):
                partly.setdefault(r["target"], []).append(
                    f"{name}: random mode misses {miss}/{len(rnd)} seeds, "
                    + ", ".join(ENGINE_TITLE[e] for e, ok in sorted(fz_found.items()) if ok)
                    + " find it in every seed")
    for t in sorted({r["target"] for r in plants() if any(x["target"] == r["target"] for x in res)}):
        lst = per_target.get(t)
        txt = (f"- Goal *a bug of `{t}` that random mode does not find in {limit:g} s but a "
               f"fuzzer does*: " + (("**met**: " + ", ".join(lst)) if lst else "**not met**"))
        if partly.get(t):
            txt += "; partly: " + "; ".join(partly[t])
        g.append(txt)
    lines += g + deep_goals(res)
    return "\n".join(lines) + "\n"


def median_time(runs: list[dict]) -> float | None:
    """Median seconds to the bug, a run that missed counted as infinitely
    slow; None without runs."""
    if not runs:
        return None
    ts = sorted(r["time_s"] if r.get("found") else float("inf") for r in runs)
    n = len(ts)
    return ts[n // 2] if n % 2 else (ts[n // 2 - 1] + ts[n // 2]) / 2


def deep_goals(res: list[dict]) -> list[str]:
    """Issue 15's goals: each deep plant missed by random mode on every
    seed within 300 s and found by AFL++ with a median of at most 300 s;
    typed at least 3x faster than bytes (median) on half the deep plants,
    under either engine; and nowhere more than 1.5x slower."""
    g = []
    rows = [r for r in plants() if any(x["plant"] == r["plant"] for x in res)]
    deep = [r for r in rows if r["deep"]]
    if deep:
        bad = []
        for r in deep:
            mine = [x for x in res if x["plant"] == r["plant"] and x["kind"] == "typed"]
            rnd = [x for x in mine if x["engine"] == "random"]
            afl = [median_time([x for x in mine if x["engine"] == e]) for e in ("afl", "afl-typed")]
            afl = [m for m in afl if m is not None]
            why = []
            if not rnd or any(x["found"] for x in rnd):
                why.append("random mode " + (f"found it in {sum(x['found'] for x in rnd)}/{len(rnd)}"
                                             if rnd else "not run"))
            if not afl or min(afl) > 300:
                why.append("AFL++ median " + ("not run" if not afl else
                                              "not found" if min(afl) == float("inf")
                                              else f"{min(afl):.0f} s"))
            if why:
                bad.append(f"`{r['plant']}` ({', '.join(why)})")
        g.append("- Goal *every deep bug: random mode misses it on every seed, AFL++'s median "
                 "(bytes or typed) at most 300 s*: "
                 + ("**met**" if not bad else "**not met**: " + "; ".join(bad)))
    fast, slow, compared = [], [], 0
    for r in rows:
        for eng in ("afl", "libfuzzer"):
            mine = [x for x in res if x["plant"] == r["plant"] and x["kind"] == "typed"]
            mb = median_time([x for x in mine if x["engine"] == eng])
            mt = median_time([x for x in mine if x["engine"] == eng + "-typed"])
            if mb is None or mt is None or mb == mt == float("inf"):
                continue
            ratio = mb / mt if mt > 0 else float("inf")  # > 1: typed faster
            how = "bytes missed it" if ratio == float("inf") else \
                "typed missed it" if ratio == 0 else f"{ratio:.2f}x"
            name = f"`{r['plant']}` {ENGINE_TITLE[eng]} ({how})"
            if r["deep"]:
                compared += 1
                if ratio >= 3 and not any(f.startswith(f"`{r['plant']}` ") for f in fast):
                    fast.append(name)
            if ratio < 1 / 1.5:
                slow.append(name)
    if compared:
        g.append(f"- Goal *typed at least 3x faster than bytes (median) on at least half the "
                 f"deep bugs*: {'**met**' if 2 * len(fast) >= len(deep) else '**not met**'}: "
                 f"{len(fast)} of {len(deep)} deep bugs" + (": " + ", ".join(fast) if fast else ""))
        g.append("- Goal *typed never more than 1.5x slower than bytes*: "
                 + ("**met**" if not slow else "**not met**: " + ", ".join(slow)))
    return g


# ---------------------------------------------------------------- shrink
def expect_draws(target: str, plant: str) -> str | None:
    """The typed draws of a planted bug's known minimum (its .expect file)."""
    exp = ROOT / "harnesses" / target / "plants" / f"{plant}.expect"
    if not exp.is_file():
        return None
    return "\n".join(exp.read_text().splitlines()[2:]).strip("\n")


def report_draws(report: str) -> str:
    """The `drawn:` lines of a runner report, as tests/test_shrink.sh reads them."""
    m = re.search(r"^  drawn[^\n]*\n((?:    [^\n]*\n)*)", report, re.M)
    return m.group(1).rstrip("\n") if m else ""


def cmd_shrink(a) -> None:
    res = load(OUT / "ttb" / "results.jsonl")
    out = OUT / "shrink"
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for r in plants():
        # The raw inputs: the first AFL++ (1 core) finding of the lowest seed,
        # and the first libFuzzer finding of the lowest seed; random mode's
        # when neither engine found the bug.
        cands = []
        for e in ("afl", "libfuzzer", "random"):
            fs = sorted((x for x in res if x["plant"] == r["plant"] and x["kind"] == "typed"
                         and x["engine"] == e and x.get("found") and x.get("input")
                         and Path(x["input"]).is_file()), key=lambda x: x["seed"])
            if fs and (e != "random" or not cands):
                cands.append(fs[0])
        if not cands:
            row = dict(r)
            row["error"] = "no raw finding"
            rows.append(row)
            continue
        for cand in cands:
            rows.append(shrink_one(r, cand, out))
    (out / "results.json").write_text(json.dumps(rows, indent=1))
    cmd_tables(argparse.Namespace(what="shrink"))


def shrink_one(r: dict, cand: dict, out: Path) -> dict:
    """Shrink one raw finding with pry (and, for AFL++'s, with afl-tmin)."""
    row = dict(r)
    h, prop, pl, eng = r["target"], r["prop"], r["plant"], cand["engine"]
    raw = out / f"{pl}.{eng}.raw"
    shutil.copyfile(cand["input"], raw)
    row.update(source=f"{eng} seed {cand['seed']}", engine=eng, raw_bytes=raw.stat().st_size)
    plain = build("plain", h, pl)
    js = out / f"{pl}.{eng}.pry.json"
    js.unlink(missing_ok=True)
    t0 = time.monotonic()
    p = subprocess.run([str(plain), "--shrink", str(raw), "--test", prop, "-o",
                        str(out / f"{pl}.{eng}.pry.bin"), "--json", str(js)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    row["pry_wall_s"] = time.monotonic() - t0
    want = expect_draws(h, pl)
    row["pry_draws"] = report_draws(p.stdout + p.stderr)
    row["typed_min"] = None if want is None else row["pry_draws"] == want
    try:
        j = json.loads(js.read_text())
        row["pry_bytes"] = j.get("input_bytes")
        row["pry_s"] = j.get("shrink_seconds")
        row["pry_site"] = j.get("site")
    except (OSError, ValueError):
        row["pry_bytes"] = None
    # The known minimum's own failure: a finding that fails at another
    # check is another failure, which shrinking never turns into this one.
    known = ROOT / "harnesses" / h / "plants" / f"{pl}.cbor"
    jk = out / f"{pl}.known.json"
    jk.unlink(missing_ok=True)
    if known.is_file():
        subprocess.run([str(plain), "--repro", str(known), "--test", prop, "--json", str(jk)],
                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        try:
            row["known_site"] = json.loads(jk.read_text()).get("site")
        except (OSError, ValueError):
            pass
    if eng == "afl":
        binary = build("afl", h, pl)
        tmin_out = out / f"{pl}.tmin.bin"
        tmin_out.unlink(missing_ok=True)
        env = afl_env(prop, False)
        t0 = time.monotonic()
        run_group(["afl-tmin", "-i", str(raw), "-o", str(tmin_out), "-t", "5000",
                   "--", str(binary)], 300, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                  stderr=subprocess.DEVNULL)
        reap_orphans([binary])
        row["tmin_s"] = time.monotonic() - t0
        row["tmin_bytes"] = tmin_out.stat().st_size if tmin_out.is_file() else None
        # Does afl-tmin's output still fail the same way? (plain build replay)
        if tmin_out.is_file():
            jr = out / f"{pl}.tmin.json"
            jr.unlink(missing_ok=True)
            subprocess.run([str(plain), "--repro", str(tmin_out), "--test", prop, "--json",
                            str(jr)], cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=120)
            try:
                jj = json.loads(jr.read_text())
                row["tmin_site"] = jj.get("site")
                row["tmin_status"] = jj.get("status")
            except (OSError, ValueError):
                pass
    print(f"  shrink {pl} ({eng}): raw {row['raw_bytes']} -> pry {row.get('pry_bytes')} "
          f"({row['pry_wall_s']:.2f} s, known minimum: {row['typed_min']})"
          + (f", afl-tmin {row['tmin_bytes']} ({row['tmin_s']:.2f} s)" if "tmin_s" in row else ""),
          file=sys.stderr, flush=True)
    return row


def shrink_table() -> str:
    p = OUT / "shrink" / "results.json"
    if not p.is_file():
        return "(no results)\n"
    rows = json.loads(p.read_text())
    lines = ["| target | bug | property | raw input (from) | pry: bytes | known minimal | "
             "pry: the known minimum | pry: s | afl-tmin: bytes | afl-tmin: s | "
             "afl-tmin output fails the same way |",
             "| --- | --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | --- |"]
    per_engine = {}
    for r in rows:
        if r.get("error"):
            lines.append(f"| {r['target']} | `{r['plant']}` | `{r['prop']}` | {r['error']} "
                         "| | | | | | | |")
            continue
        mb = r.get("min_bytes")
        pb = r.get("pry_bytes")
        tm = r.get("typed_min")
        ok = bool(tm) and r["pry_wall_s"] <= 2.0
        other = not tm and r.get("known_site") and r.get("pry_site") != r["known_site"]
        if tm is not None:
            n, k, o = per_engine.get(r.get("engine", "?"), (0, 0, 0))
            per_engine[r.get("engine", "?")] = (n + 1, k + ok, o + bool(other))
        same = "-"
        if r.get("tmin_status") is not None:
            same = "yes" if r.get("tmin_status") in ("failed", "crashed") and \
                r.get("tmin_site") == r.get("pry_site") else \
                f"no ({r.get('tmin_status')}, {r.get('tmin_site')})"
        known = "-" if tm is None else "yes" if tm else \
            f"no: another failure ({r['pry_site']})" if other else "no"
        tmin_b = r.get("tmin_bytes", "-") if "tmin_s" in r else "-"
        tmin_s = f"{r['tmin_s']:.2f}" if "tmin_s" in r else "-"
        lines.append(
            f"| {r['target']} | `{r['plant']}` | `{r['prop']}` | {r['raw_bytes']} ({r['source']}) "
            f"| {pb if pb is not None else '-'} | {mb if mb is not None else 'no .expect'} "
            f"| {known} "
            f"| {r['pry_wall_s']:.2f} | {tmin_b} | {tmin_s} | {same} |")
    lines.append("")
    lines.append("\"pry: the known minimum\": the shrunk report's typed draws are exactly the "
                 "`.expect` file's (what `make test` checks from random mode).")
    lines.append("\"another failure\": the finding fails at another check than the known "
                 "minimum's (the plant's committed `.cbor`), so it has a minimum of its own.")
    for e, (n, k, o) in sorted(per_engine.items()):
        lines.append(f"From {ENGINE_TITLE.get(e, e)} findings: {k} of {n} bugs reach their "
                     f"known minimum within 2 s; {o} of the others are another failure.")
    # Another failure has a minimum of its own, per check: do both engines'
    # findings of a bug that fail at that other check shrink to the same?
    by_plant = {}
    for r in rows:
        if not r.get("error") and r.get("pry_draws") is not None:
            by_plant.setdefault(r["plant"], []).append(r)
    other = [rs for rs in by_plant.values()
             if len(rs) > 1 and len({x.get("pry_site") for x in rs}) == 1
             and all(x.get("known_site") and x.get("pry_site") != x["known_site"] for x in rs)]
    if other:
        agree = sum(len({x["pry_draws"] for x in rs}) == 1 for rs in other)
        lines.append(f"Bugs whose findings all fail at one other check: {len(other)}; of those, "
                     f"{agree} shrink to identical draws from every engine's finding "
                     "(the minimum of that check).")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- execs/s
def afl_rate(binary: Path, prop: str, secs: int, work: Path, harness: str) -> tuple[float, Path]:
    stage(work / "in", harness, prop)
    out = work / "out"
    if out.exists():
        shutil.rmtree(out)
    env = afl_env(prop, False)
    env["AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES"] = "1"
    run_group(["afl-fuzz", "-i", str(work / "in"), "-o", str(out), "-V", str(secs),
               "--", str(binary)], secs + 60, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
              stderr=subprocess.DEVNULL)
    reap_orphans([binary])
    st = out / "default" / "fuzzer_stats"
    if not st.is_file():
        return 0.0, out
    d = dict(re.findall(r"^(\w+)\s*:\s*(\S+)", st.read_text(), re.M))
    t = float(d.get("run_time", 0))
    return (float(d.get("execs_done", 0)) / t if t else 0.0), out


def lf_rate(binary: Path, prop: str, secs: int, work: Path, harness: str) -> float:
    stage(work / "corpus", harness, prop)
    env = dict(os.environ, PRY_TEST=prop, PRY_QUIET="1")
    r = run_group([str(binary), str(work / "corpus"), f"-max_total_time={secs}",
                   "-print_final_stats=1", f"-artifact_prefix={work}/", "-timeout=10"],
                  secs + 60, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    m = re.search(rb"stat::average_exec_per_sec:\s*(\d+)", r.stderr or b"")
    return float(m.group(1)) if m else 0.0


def list_props(h: str) -> list[str]:
    b = build("plain", h)
    r = subprocess.run([str(b), "--list"], cwd=ROOT, capture_output=True, timeout=60)
    return [x.split("/", 1)[1] for x in r.stdout.decode().split() if "/" in x]


def cmd_execs(a) -> None:
    out = OUT / "execs"
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for h in a.harnesses.split(","):
        afl_b, lf_b = build("afl", h), build("libfuzzer", h)
        for prop in list_props(h):
            afl_r, lf_r = [], []
            for i in range(a.reps):  # alternate the engines
                r, q = afl_rate(afl_b, prop, a.secs, out / "afl-run", h)
                afl_r.append(r)
                # Keep the queue of the last rep: callgrind's inputs (cmd_gen).
                qd = out / "queues" / h / prop
                if qd.exists():
                    shutil.rmtree(qd)
                qd.mkdir(parents=True)
                for f in sorted((q / "default" / "queue").glob("id:*"))[:500]:
                    shutil.copyfile(f, qd / re.sub(r"[^0-9a-zA-Z_.-]", "_", f.name))
                lf_r.append(lf_rate(lf_b, prop, a.secs, out / "lf-run", h))
            row = {"harness": h, "prop": prop, "afl": afl_r, "libfuzzer": lf_r, "secs": a.secs}
            rows.append(row)
            print(f"  {h}/{prop}: afl {afl_r} libfuzzer {lf_r}", file=sys.stderr, flush=True)
    (out / "results.json").write_text(json.dumps(rows, indent=1))


def kit_symbols() -> set[str]:
    syms = set()
    for obj in [ROOT / "build/afl/libpry.a", ROOT / "build/afl/pry/fuzz_entry.o"]:
        r = subprocess.run(["nm", "--defined-only", str(obj)], capture_output=True, text=True)
        for line in r.stdout.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                syms.add(parts[2])
    return syms


# Kit functions whose libc work is the result the property asked for, as
# if it had called calloc, snprintf or strdup itself: it stays the property's.
KIT_SERVICES = {"pry_alloc", "pry_sprintf", "pry_strdup"}


def callgrind_lib_calls(path: Path, kit: set[str], binary: str) -> int:
    """Instructions of shared-library functions (libc) that kit functions
    call directly for the kit's own work: the inclusive cost of every call
    from a kit function (but KIT_SERVICES) to a function of another object
    than the harness binary (pry_run_one's setjmp, the fuzz entry's
    coverage reset, the arena's malloc, a string generator's strlen)."""
    names: dict[str, dict[str, str]] = {"ob": {}, "fn": {}}

    def name(kind: str, s: str) -> str:
        m = re.match(r"\((\d+)\)(?:\s+(.*))?", s)
        if not m:
            return s
        if m.group(2) is not None:
            names[kind][m.group(1)] = m.group(2)
        return names[kind].get(m.group(1), s)
    ob = fn = cob = cfn = None
    in_call = False
    out = 0
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("ob="):
            ob = name("ob", line[3:])
        elif line.startswith("fn="):
            fn, cob = name("fn", line[3:]), None
        elif line.startswith("cob="):
            cob = name("ob", line[4:])
        elif line.startswith("cfn="):
            cfn = name("fn", line[4:])
        elif line.startswith("calls="):
            in_call = True
        elif in_call and line[:1] and (line[0].isdigit() or line[0] in "+-*"):
            in_call = False
            callee_ob = cob or ob
            if (fn in kit and fn not in KIT_SERVICES and cfn not in kit and callee_ob
                    and Path(callee_ob).name != binary):
                parts = line.split()
                out += int(parts[1]) if len(parts) > 1 else 0
            cob = None
    return out


def cmd_gen(a) -> None:
    out = OUT / "gen"
    out.mkdir(parents=True, exist_ok=True)
    harnesses = a.harnesses.split(",")
    # the kit's symbols from an up-to-date build: before one, nm would read
    # the objects of the last build (stale after a change to the kit)
    builds = {h: build("afl", h) for h in harnesses}
    kit = kit_symbols()
    rows = []
    for h in harnesses:
        src = builds[h]
        b = out / h
        shutil.copyfile(src, b)
        os.chmod(b, 0o755)
        # valgrind 3.19 cannot read clang 14's DWARF 5; function names
        # (the symbol table) are enough to attribute by function.
        subprocess.run(["strip", "--strip-debug", str(b)], check=True)
        # names defined both in the kit and elsewhere cannot be attributed
        r = subprocess.run(["nm", "--defined-only", str(src)], capture_output=True, text=True)
        for prop in list_props(h):
            qd = OUT / "execs" / "queues" / h / prop
            files = sorted(qd.iterdir())[:a.inputs] if qd.is_dir() else []
            if len(files) < a.inputs:
                # top up with bytes from a seeded PRNG (deterministic)
                import random as rnd
                g = rnd.Random(f"{h}/{prop}")
                pd = out / "prng" / h / prop
                if pd.exists():
                    shutil.rmtree(pd)
                pd.mkdir(parents=True)
                for i in range(a.inputs - len(files)):
                    f = pd / f"{i:04d}"
                    f.write_bytes(bytes(g.randrange(256) for _ in range(g.randrange(1, 512))))
                    files.append(f)
            cg = out / f"{h}.{prop}.callgrind"
            env = dict(os.environ, PRY_TEST=prop, PRY_QUIET="1")
            subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}",
                            "--toggle-collect=LLVMFuzzerTestOneInput", str(b)] +
                           [str(f) for f in files], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=1800)
            ann = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100",
                                  str(cg)], capture_output=True, text=True).stdout
            total = kit_ir = 0
            kit_fns: dict[str, int] = {}
            for line in ann.splitlines():
                m = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S+?):(\S+)", line)
                if "PROGRAM TOTALS" in line:
                    total = int(line.split()[0].replace(",", ""))
                    continue
                if m:
                    ir = int(m.group(1).replace(",", ""))
                    fn = m.group(3).split()[0]
                    if fn in kit:
                        kit_ir += ir
                        kit_fns[fn] = kit_fns.get(fn, 0) + ir
            n_q = len([f for f in files if f.parent == qd])
            lib_ir = callgrind_lib_calls(cg, kit, b.name)
            row = {"harness": h, "prop": prop, "inputs": len(files), "queue_inputs": n_q,
                   "total_ir": total, "kit_ir": kit_ir, "kit_lib_ir": lib_ir,
                   "share": kit_ir / total if total else None,
                   "share_with_lib": (kit_ir + lib_ir) / total if total else None,
                   "top_kit": sorted(kit_fns.items(), key=lambda kv: -kv[1])[:3]}
            rows.append(row)
            print(f"  gen {h}/{prop}: {row['share']:.1%} ({row['share_with_lib']:.1%} with the "
                  f"libc it calls) of {total:,} Ir over {len(files)} inputs",
                  file=sys.stderr, flush=True)
    (out / "results.json").write_text(json.dumps(rows, indent=1))


def execs_table() -> str:
    e = OUT / "execs" / "results.json"
    g = OUT / "gen" / "results.json"
    rows = json.loads(e.read_text()) if e.is_file() else []
    gens = {(r["harness"], r["prop"]): r for r in (json.loads(g.read_text()) if g.is_file() else [])}
    lines = ["| harness/property | AFL++ execs/s median (min..max) | libFuzzer execs/s median "
             "(min..max) | kit share of instructions (callgrind; with the libc it calls) | instructions per run | inputs "
             "(from the queue) | largest kit functions (share of the run) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    over = [f"{h}/{pr} ({g['share']:.0%})" for (h, pr), g in gens.items()
            if g.get("share") is not None and g["share"] > 0.20]
    by_key = {(r["harness"], r["prop"]): r for r in rows}
    xfail = set()
    for f in ROOT.glob("harnesses/*/expected-failures.tsv"):
        for line in f.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                xfail.add((f.parent.name, line.split("\t")[0]))
    keys = list(by_key) + [k for k in gens if k not in by_key]
    for key in keys:
        r = by_key.get(key, {"afl": [], "libfuzzer": []})
        gr = gens.get(key, {})
        share = gr.get("share")
        with_lib = gr.get("share_with_lib")
        per = gr["total_ir"] / gr["inputs"] if gr.get("inputs") else None

        def mm(v):
            return f"{med(v):,.0f} ({min(v):,.0f}..{max(v):,.0f})" if v else "-"
        mark = " (expected failure)" if key in xfail else ""
        lines.append(f"| {key[0]}/{key[1]}{mark} | {mm(r['afl'])} | {mm(r['libfuzzer'])} | "
                     f"{'-' if share is None else f'{share:.1%}'}"
                     f"{'' if with_lib is None else f' ({with_lib:.1%})'} | {human(per)} | "
                     f"{gr.get('inputs', '-')} ({gr.get('queue_inputs', '-')}) | "
                     + ", ".join(f"`{fn}` {ir / gr['total_ir']:.1%}" for fn, ir in gr.get("top_kit", [])
                                 if gr.get("total_ir")) + " |")
    shares = [x["share"] for x in gens.values() if x.get("share") is not None]
    lines.append("")
    if xfail & set(keys):
        lines.append("*(expected failure)*: listed in `harnesses/<h>/expected-failures.tsv` (a known "
                     "bug of libcbor 0.8): libFuzzer stops at the first failing input, so its "
                     "rate there is that of a short run, or 0 when the first input fails; AFL++ "
                     "keeps going.")
        lines.append("")
    if shares:
        lines.append(f"Kit share: median {med(shares):.1%}, max {max(shares):.1%} over "
                     f"{len(shares)} properties. Goal *generation at most 20 % of a run*: "
                     + ("**met** for every property." if not over else
                        "**not met** for " + ", ".join(over) + "."))
    return "\n".join(lines) + "\n"


def cmd_tables(a) -> None:
    if a.what == "ttb":
        print(ttb_table())
    elif a.what == "shrink":
        print(shrink_table())
    elif a.what == "execs":
        print(execs_table())


# ---------------------------------------------------------------- plot data
def cmd_plotdata(a) -> None:
    """build/bench/plots/ttb.dat: x position, time (limit*1.5 when not
    found), engine index, label; and the bug labels for the x axis."""
    res = load(OUT / "ttb" / "results.jsonl")
    d = OUT / "plots"
    d.mkdir(parents=True, exist_ok=True)
    order = [(k, e) for k in ("typed", "raw") for e in ENGINES
             if any(r["kind"] == k and r["engine"] == e for r in res)]
    bugs = [r["plant"] for r in plants() if any(x["plant"] == r["plant"] for x in res)]
    with open(d / "ttb.dat", "w") as f:
        for i, (k, e) in enumerate(order):
            f.write(f"# {k} {e}\n")
            for bi, b in enumerate(bugs):
                for x in res:
                    if x["plant"] == b and x["kind"] == k and x["engine"] == e:
                        # not found: drawn above the limit line; under 6 ms: at 6 ms
                        t = max(x["time_s"], 0.006) if x.get("found") else x["limit"] * 1.6
                        jitter = (x["seed"] - 3) * 0.02
                        f.write(f"{bi + (i - len(order) / 2) * 0.11 + jitter:.3f} {t:.4f} "
                                f"{int(not x.get('found'))}\n")
            f.write("\n\n")
    limit = max((r["limit"] for r in res), default=60)
    tics = ", ".join(f'"{b}" {i}' for i, b in enumerate(bugs))
    titles = {"typed": "", "raw": "raw: "}
    plots = []
    for i, (k, e) in enumerate(order):
        pt = 7 if k == "typed" else 6
        plots.append(f"datadir.'/ttb.dat' index {i} using 1:2 with points pt {pt} ps 0.9 "
                     f"lc {i + 1} title '{titles[k]}{ENGINE_TITLE[e]}'")
    (d / "ttb.gpinc").write_text(
        f"set xtics ({tics}) rotate by -35 font ',9'\n"
        f"set xrange [-0.7:{len(bugs) - 0.3}]\n"
        f"set yrange [0.005:{limit * 3}]\n"
        f"set arrow from graph 0, first {limit} to graph 1, first {limit} nohead dt 2 lc rgb 'red'\n"
        f"set label 'limit {limit:g} s (points above: not found)' at graph 0.01, first {limit * 1.25} "
        f"tc rgb 'red' font ',9'\n"
        "plot " + ", \\\n     ".join(plots) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ttb")
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--first-seed", type=int, default=1)  # to add seeds to a run
    p.add_argument("--limit", type=float, default=60)
    p.add_argument("--engines", default="afl,afl-j2,libfuzzer,random")
    p.add_argument("--raw-engines", default="afl,libfuzzer,random")
    p.add_argument("--plants", default="")
    p.add_argument("--parallel", type=int, default=1)
    p.add_argument("--append", action="store_true")
    p = sub.add_parser("shrink")
    p = sub.add_parser("execs")
    p.add_argument("--harnesses", default="patch,h2,nic,cbor")
    p.add_argument("--secs", type=int, default=10)
    p.add_argument("--reps", type=int, default=3)
    p = sub.add_parser("gen")
    p.add_argument("--harnesses", default="patch,h2,nic,cbor")
    p.add_argument("--inputs", type=int, default=500)
    p = sub.add_parser("tables")
    p.add_argument("what", choices=["ttb", "shrink", "execs"])
    sub.add_parser("plotdata")
    a = ap.parse_args()
    {"ttb": cmd_ttb, "shrink": cmd_shrink, "execs": cmd_execs, "gen": cmd_gen,
     "tables": cmd_tables, "plotdata": cmd_plotdata}[a.cmd](a)


if __name__ == "__main__":
    main()
