#!/usr/bin/env python3
"""Tests of ./pry, the wrapper. Run from the repository root:

    python3 tests/test_pry.py

Everything runs in a temporary copy of the project (without build/ and
pry-out/), so the tests never touch the real corpora/ or harnesses/ and
other people's builds cannot race them. Seeds are pinned; fuzzing runs
only on selftest properties whose bug every engine finds at once, and
time is asserted only as a generous upper bound. Prints one closing line
`N passed, N failed`; exits non-zero on failure."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable, Optional

REPO = Path(__file__).resolve().parents[1]
TESTS: list[Callable[["Env"], None]] = []


def test(fn: Callable[["Env"], None]) -> Callable[["Env"], None]:
    TESTS.append(fn)
    return fn


class Env:
    """A throwaway copy of the project, and ./pry run inside it."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="pry-test-"))
        self.root = self.tmp / "project"
        shutil.copytree(REPO, self.root, symlinks=True,
                        ignore=shutil.ignore_patterns("build", "pry-out", ".git", "__pycache__"))
        # Shipped harnesses are not ours to build here: the tests use the
        # kit's selftest, so an empty harnesses/ keeps `list` and `ci`
        # predictable while targets are still being written.
        shutil.rmtree(self.root / "harnesses")
        (self.root / "harnesses").mkdir()
        shutil.rmtree(self.root / "corpora" / "selftest", ignore_errors=True)
        # The kit's builds that `make test` makes before any suite runs
        # (build/<variant>/libpry.a and its objects, not the harnesses; no
        # suite rebuilds them, so none is half-written), copied with their
        # times: make finds them up to date, so each build here compiles
        # only the selftest harness, not the whole kit again per variant.
        for variant in ("plain", "asan", "libfuzzer", "afl", "afl-cmplog", "mutator",
                        "libfuzzer-typed", "cov"):
            kit = REPO / "build" / variant
            if (kit / "libpry.a").is_file() and (kit / "pry").is_dir():
                dest = self.root / "build" / variant
                shutil.copytree(kit / "pry", dest / "pry")
                shutil.copy2(kit / "libpry.a", dest / "libpry.a")

    def pry(self, *args: str, timeout: float = 120,
            env: Optional[dict[str, str]] = None) -> subprocess.CompletedProcess:
        e = dict(os.environ)
        e.pop("PRY_ROOT", None)
        e.pop("ASAN_OPTIONS", None)
        e.update(env or {})
        return subprocess.run([str(self.root / "pry"), *args], cwd=self.root, env=e,
                              capture_output=True, text=True, timeout=timeout)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def expect(cond: bool, what: str, r: Optional[subprocess.CompletedProcess] = None) -> None:
    if not cond:
        extra = ""
        if r is not None:
            extra = f"\n--- exit {r.returncode}\n--- stdout:\n{r.stdout[-3000:]}\n--- stderr:\n{r.stderr[-2000:]}"
        raise AssertionError(what + extra)


def usage_error(r: subprocess.CompletedProcess, what: str) -> None:
    """Exit 2 with exactly one line on stderr."""
    expect(r.returncode == 2, f"{what}: exit 2", r)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    expect(len(lines) == 1 and lines[0].startswith("pry: "), f"{what}: one stderr line", r)


def small_numbers_line() -> int:
    src = (REPO / "tests/harnesses/selftest/selftest.c").read_text().splitlines()
    return next(i + 1 for i, ln in enumerate(src) if "x < 1000" in ln and "pry_check" in ln)


# ---- usage errors ----
@test
def test_usage_errors(env: Env) -> None:
    usage_error(env.pry(), "no command")
    usage_error(env.pry("frobnicate"), "unknown command")
    usage_error(env.pry("fuzz"), "fuzz without target")
    usage_error(env.pry("fuzz", "selftest", "--bogus"), "unknown option")
    usage_error(env.pry("fuzz", "selftest", "--engine", "qemu"), "unknown engine")
    usage_error(env.pry("fuzz", "selftest", "--time", "soon"), "bad --time")
    usage_error(env.pry("fuzz", "selftest", "--time"), "--time without value")
    usage_error(env.pry("list", "extra"), "list with an argument")
    usage_error(env.pry("shrink", "x.bin"), "shrink without target")
    usage_error(env.pry("fuzz", "selftest", "--mutator", "smart"), "unknown mutator")
    usage_error(env.pry("fuzz", "selftest", "--engine", "random", "--mutator", "typed"),
                "typed mutator in random mode")
    usage_error(env.pry("demo", "--deep", "patch"), "demo --deep with a harness")
    r = env.pry("help")
    expect(r.returncode == 0 and "usage" in r.stdout, "help", r)


@test
def test_help_on_every_command(env: Env) -> None:
    for cmd in ("list", "fuzz", "demo", "repro", "shrink", "show", "plot", "ci", "new",
                "doctor", "keep"):
        for flag in ("--help",) if cmd != "fuzz" else ("--help", "-h"):
            r = env.pry(cmd, flag)
            expect(r.returncode == 0 and r.stdout.startswith(f"usage: ./pry {cmd}")
                   and not r.stderr, f"{cmd} {flag}: usage on stdout, exit 0", r)
    r = env.pry("fuzz", "selftest", "--engine", "random", "--help")
    expect(r.returncode == 0 and "--engine afl|libfuzzer|random" in r.stdout,
           "fuzz --help after other options: the fuzz options", r)


@test
def test_unknown_targets(env: Env) -> None:
    usage_error(env.pry("fuzz", "nosuch"), "unknown harness")
    usage_error(env.pry("fuzz", "selftest/nosuch", "--engine", "random"), "unknown property")
    usage_error(env.pry("fuzz", "Bad:Name"), "malformed target")
    usage_error(env.pry("fuzz", "selftest", "--plant", "nosuchbug", "--engine", "random"),
                "unknown plant")
    r = env.pry("fuzz", "selftest", "--plant", "all", "--engine", "random")
    usage_error(r, "--plant all on a harness without plants")
    expect("has no planted bugs" in r.stderr, "says why", r)


@test
def test_repro_show_bad_files(env: Env) -> None:
    usage_error(env.pry("repro", "missing.cbor"), "repro of a missing file")
    usage_error(env.pry("show", "missing.cbor"), "show of a missing file")
    garbage = env.root / "garbage.bin"
    garbage.write_bytes(b"\x00\x01garbage")
    usage_error(env.pry("repro", str(garbage)), "repro of raw bytes without target")
    usage_error(env.pry("show", str(garbage)), "show of raw bytes")
    trunc = env.root / "trunc.cbor"
    trunc.write_bytes(b"\xd9\xd9\xf7\xbf\x67harness\x68self")  # cut off mid-string
    usage_error(env.pry("repro", str(trunc)), "repro of a truncated record")
    usage_error(env.pry("show", str(trunc)), "show of a truncated record")
    alien = env.root / "alien.cbor"
    alien.write_bytes(b"\xd9\xd9\xf7\xa2\x67harness\x65alien\x68property\x61x")
    usage_error(env.pry("repro", str(alien)), "repro of an unknown harness's record")


@test
def test_list(env: Env) -> None:
    r = env.pry("list")
    expect(r.returncode == 0, "list exits 0", r)
    expect("selftest" not in r.stdout, "list leaves selftest out", r)
    # A shipped harness appears with its properties (scaffolded here).
    expect(env.pry("new", "listed").returncode == 0, "new listed")
    r = env.pry("list", "--plants")
    expect(r.returncode == 0 and "listed/roundtrip" in r.stdout.splitlines(), "list shows it", r)
    shutil.rmtree(env.root / "harnesses" / "listed")
    shutil.rmtree(env.root / "corpora" / "listed")


@test
def test_list_plants(env: Env) -> None:
    hdir = env.root / "harnesses" / "toy"
    hdir.mkdir()
    (hdir / "toy.c").write_text('#include "pry.h"\nPRY_PROPERTY(ok) { (void)pry_u8(p, "x"); }\n')
    tdir = env.root / "targets" / "toy"
    tdir.mkdir()
    (tdir / "toy.c").write_text("int toy_id(int x);\nint toy_id(int x) { return x; }\n")
    (tdir / "plants.tsv").write_text("off-by-one\tthe loop runs once too often\tCVE-0000-0000\n")
    try:
        r = env.pry("list", "--plants")
        expect(r.returncode == 0, "list --plants exits 0", r)
        expect("toy/ok" in r.stdout.splitlines(), "property line", r)
        expect("toy off-by-one the loop runs once too often" in r.stdout.splitlines(),
               "plant line: harness bug description", r)
        r = env.pry("fuzz", "toy", "--plant", "nosuch", "--engine", "random")
        usage_error(r, "unknown plant")
        expect("it has: off-by-one (or all)" in r.stderr and "no-newline" not in r.stderr,
               "names only this harness's planted bugs", r)
        # raw bytes on a one-property harness: pry names the property it picked
        raw = env.root / "toy.bin"
        raw.write_bytes(b"\x07")
        r = env.pry("repro", str(raw), "toy")
        expect(r.returncode == 0 and "as toy/ok, the harness's only property" in r.stdout,
               "repro of raw bytes names the only property", r)
        expect("pry: building toy (asan) ..." in r.stdout, "the first repro says it is building", r)
        r = env.pry("repro", str(raw), "toy")
        expect("building" not in r.stdout, "and only when it builds", r)
    finally:
        shutil.rmtree(hdir)
        shutil.rmtree(tdir)


# ---- fuzzing with each engine ----
@test
def test_random_finds_small_numbers(env: Env) -> None:
    js = env.root / "random.json"
    r = env.pry("fuzz", "selftest/small_numbers", "--engine", "random", "--seed", "1",
                "--json", str(js))
    expect(r.returncode == 1, "random finds it: exit 1", r)
    expect(re.search(r"^\s+x = 1000$", r.stdout, re.M) is not None, "shrunk to x = 1000", r)
    expect("./pry repro pry-out/selftest/small_numbers/findings/" in r.stdout,
           "prints the replay command", r)
    data = json.loads(js.read_text())
    f = data["findings"][0]
    cbor = env.root / f["cbor"]
    expect(cbor.is_file() and ":" not in cbor.name, "record saved, colon-free", r)
    expect(cbor.name[:-5] == __import__("hashlib").sha256(cbor.read_bytes()).hexdigest(),
           "named by sha256")
    expect(not (env.root / "corpora" / "selftest").exists(),
           "selftest findings are not committed as regressions")
    # The saved record replays (fails: exit 1) and shows (exit 0).
    rr = env.pry("repro", f["cbor"])
    expect(rr.returncode == 1 and "x = 1000" in rr.stdout, "repro of the record", rr)
    example = re.compile(r"^\s+PRY_EXAMPLE\(.*\);$", re.M)
    expect(example.findall(r.stdout) == example.findall(rr.stdout) != [],
           "the report's PRY_EXAMPLE line and repro's agree", rr)
    expect(f"keep:   ./pry keep {f['cbor']}" in r.stdout, "the report prints the keep command", r)
    rs = env.pry("show", f["cbor"])
    expect(rs.returncode == 0 and "selftest/small_numbers" in rs.stdout, "show of the record", rs)
    # Raw bytes need a target; with one they replay.
    raw = env.root / "big.bin"
    raw.write_bytes(b"\xe8\x03\x00\x00")
    rr = env.pry("repro", str(raw), "selftest/small_numbers")
    expect(rr.returncode == 1 and "x = 1000" in rr.stdout, "repro of raw bytes", rr)
    ok = env.root / "ok.bin"
    ok.write_bytes(b"\x05\x00\x00\x00")
    rr = env.pry("repro", str(ok), "selftest/small_numbers")
    expect(rr.returncode == 0, "a passing input replays with exit 0", rr)
    out = env.root / "shrunk.cbor"
    rs = env.pry("shrink", str(raw), "selftest/small_numbers", "-o", str(out))
    expect(rs.returncode == 1 and out.is_file() and "x = 1000" in rs.stdout, "shrink -o", rs)


@test
def test_random_passing_property(env: Env) -> None:
    t0 = time.monotonic()
    r = env.pry("fuzz", "selftest/addition_commutes", "--engine", "random", "--time", "2",
                "--seed", "7")
    expect(r.returncode == 0, "nothing found: exit 0", r)
    expect(time.monotonic() - t0 < 60, "finishes near its time")
    csv = env.root / "pry-out/selftest/addition_commutes/random/progress.csv"
    expect(csv.is_file(), "progress.csv written", r)
    p = env.pry("plot", str(csv.parent))
    expect(p.returncode == 0 and "coverage.png" in p.stdout, "plot", p)
    expect((csv.parent / "execs_per_sec.png").stat().st_size > 0, "png written", p)
    usage_error(env.pry("plot", str(env.root / "nowhere")), "plot of a missing folder")
    # --time is wall-clock, and the runs are not capped at the runner's 1000.
    js = env.root / "pass.json"
    r = env.pry("fuzz", "selftest/addition_commutes", "--engine", "random", "--time", "3",
                "--seed", "7", "--json", str(js))
    data = json.loads(js.read_text())
    expect(r.returncode == 0 and data["seconds"] >= 3 and data["execs"] > 1000,
           "random mode fills --time, runs unbounded", r)


@test
def test_random_reports_real_time_and_execs(env: Env) -> None:
    """A failure after N executions is reported at N, with the time the
    runner met it (not when pry noticed); the same N as the runner's own."""
    plain = env.root / "build/plain/selftest"
    if not plain.exists():  # when run alone
        env.pry("fuzz", "selftest/addition_commutes", "--engine", "random", "--time", "1")
    own = env.root / "own.json"
    subprocess.run([str(plain), "--test", "all_distinct", "--seed", "1", "--no-shrink",
                    "--save-dir", str(env.root / "own"), "--json", str(own)], cwd=env.root,
                   capture_output=True)
    runs = json.loads(own.read_text())["runs"]
    js = env.root / "ad.json"
    r = env.pry("fuzz", "selftest/all_distinct", "--engine", "random", "--seed", "1",
                "--json", str(js))
    f = json.loads(js.read_text())["findings"][0]
    expect(r.returncode == 1 and f["execs_to_find"] == runs > 1, "execs to find = the runner's", r)
    expect(f["time_to_find_s"] < 10, "time to find: the runner's, not pry's", r)


@test
def test_unhealthy_reaches_the_user(env: Env) -> None:
    for extra in ([], ["--time", "30"]):  # without --time it must not loop forever
        r = env.pry("fuzz", "selftest/mostly_discarded", "--engine", "random", "--seed", "1",
                    *extra, timeout=60)
        usage_error(r, f"random {extra}: unhealthy is exit 2")
        expect(r.stderr.startswith("pry: UNHEALTHY  selftest/mostly_discarded: ")
               and "UNHEALTHY" in r.stdout and "0 finding(s)" in r.stdout,
               "the runner's own message", r)
    r = env.pry("fuzz", "selftest/mostly_discarded", "--engine", "libfuzzer", "--seed", "1",
                "--time", "4", timeout=240)
    usage_error(r, "libfuzzer: unhealthy is exit 2")
    expect("UNHEALTHY  selftest/mostly_discarded:" in r.stderr and "under the fuzzer" in r.stderr,
           "libfuzzer: the runner's message on the fuzzer's counts", r)
    r = env.pry("fuzz", "selftest/mostly_discarded", "--engine", "afl", "--seed", "1",
                "--time", "8", timeout=240)
    usage_error(r, "afl: unhealthy is exit 2")
    expect("UNHEALTHY  selftest/mostly_discarded:" in r.stderr, "afl: the runner's message", r)
    report = env.root / "ci-unhealthy"
    r = env.pry("ci", "--time", "4", "--engine", "random", "--seed", "1", "--report",
                str(report), "selftest/addition_commutes", "selftest/mostly_discarded")
    usage_error(r, "ci: unhealthy is exit 2")
    expect("UNHEALTHY selftest/mostly_discarded" in r.stdout.replace("  ", " "), "ci marks it", r)
    expect("UNHEALTHY" in (report / "summary.md").read_text(), "summary.md says so", r)
    cases = {c.get("name"): c for c in ET.parse(report / "junit.xml").getroot().iter("testcase")}
    expect(cases["selftest/mostly_discarded"].find("error") is not None, "junit <error>", r)


@test
def test_expected_failures_skipped_for_a_whole_harness(env: Env) -> None:
    tsv = env.root / "tests/harnesses/selftest/expected-failures.tsv"
    tsv.write_text("# property\treason\nsmall_numbers\ta known bug\n"
                   "mostly_discarded\tdiscards\nflaky_once\tflaky\n")
    try:
        r = env.pry("fuzz", "selftest", "--engine", "libfuzzer", "--seed", "1", timeout=240)
        expect("not fuzzing selftest/{flaky_once,mostly_discarded,small_numbers}: expected "
               "failures" in r.stdout, "says which it skips", r)
        expect(r.returncode == 1 and "selftest/small_numbers" not in r.stdout, "finds another", r)
        raws = list((env.root / "pry-out/selftest").glob("*/findings/*.bin"))
        expect(raws, "a raw finding", r)
        for raw in raws:  # the property's own input: replays by name
            rr = env.pry("repro", str(raw), f"selftest/{raw.parent.parent.name}")
            expect(rr.returncode == 1, f"raw {raw.name} replays as its property", rr)
        r = env.pry("fuzz", "selftest/small_numbers", "--engine", "random", "--seed", "1")
        expect(r.returncode == 1 and "not fuzzing" not in r.stdout, "named: it runs", r)
        raw = env.root / "any.bin"
        raw.write_bytes(b"\x01\x02")
        r = env.pry("repro", str(raw), "selftest")
        usage_error(r, "raw bytes on a harness of several properties")
        expect("./pry repro FILE selftest/PROPERTY" in r.stderr and "small_numbers" in r.stderr,
               "asks for the property", r)
    finally:
        tsv.unlink()
        shutil.rmtree(env.root / "pry-out/selftest", ignore_errors=True)


@test
def test_afl_finds_and_stops(env: Env) -> None:
    js = env.root / "afl.json"
    t0 = time.monotonic()
    r = env.pry("fuzz", "selftest/small_numbers", "--engine", "afl", "--seed", "1",
                "--json", str(js), timeout=240)
    expect(r.returncode == 1, "afl finds it: exit 1", r)
    expect(time.monotonic() - t0 < 200, "stops at the first finding")
    expect(re.search(r"^\s+x = 1000$", r.stdout, re.M) is not None, "shrunk to x = 1000", r)
    data = json.loads(js.read_text())
    expect(data["target"] == "selftest/small_numbers" and data["engine"] == "afl"
           and data["mutator"] == "typed", "json head (typed: AFL++'s default mutator)", r)
    expect("with afl (typed mutator)" in r.stdout, "the campaign says which mutator runs", r)
    for key in ("seconds", "execs", "execs_per_sec", "findings"):
        expect(key in data, f"json has {key}")
    f = data["findings"][0]
    expect(f["property"] == "small_numbers" and f["shrunk_bytes"] == 2, "json finding", r)
    expect("1000" in f["message"] and (env.root / f["input"]).is_file(), "json input", r)
    expect(isinstance(f["execs_to_find"], int) and f["time_to_find_s"] is not None, "json times")
    for p in (env.root / "pry-out").rglob("*"):
        if "/afl/" not in str(p) and ":" in p.name:
            raise AssertionError(f"a ':' in a kept file name: {p}")


@test
def test_afl_failing_seed_is_a_finding(env: Env) -> None:
    # afl-fuzz 4.04c skips a crashing -i input with a warning in its log and
    # saves nothing; pry has it stop instead and reports that input.
    seeds = env.root / "corpora/selftest/small_numbers/seeds"
    seeds.mkdir(parents=True)
    (seeds / "passes").write_bytes(b"\x05\x00\x00\x00")
    (seeds / "fails").write_bytes(b"\x10\x27")  # x = 10000, the harness's PRY_EXAMPLE
    js = env.root / "seed.json"
    r = env.pry("fuzz", "selftest/small_numbers", "--engine", "afl", "--seed", "1",
                "--time", "60", "--json", str(js), timeout=240)
    expect(r.returncode == 1, "the failing seed is a finding: exit 1", r)
    expect("stopped at start-up" in r.stdout and "crashes the target" in r.stdout,
           "says afl-fuzz stopped on an input it starts from", r)
    f = json.loads(js.read_text())["findings"]
    expect(len(f) == 1 and f[0]["execs_to_find"] == 0 and f[0]["time_to_find_s"] == 0.0,
           "one finding, at start-up", r)
    expect(re.search(r"^\s+x = 1000$", r.stdout, re.M) is not None, "shrunk to x = 1000", r)
    (seeds / "fails").unlink()
    shutil.rmtree(env.root / "pry-out")
    r = env.pry("fuzz", "selftest/addition_commutes", "--engine", "afl", "--time", "2",
                timeout=240)
    expect(r.returncode == 0 and "stopped at start-up" not in r.stdout,
           "inputs that pass start as before", r)
    shutil.rmtree(env.root / "corpora/selftest")  # later tests start from nothing
    shutil.rmtree(env.root / "pry-out")


@test
def test_afl_crash_gets_sanitizer_report(env: Env) -> None:
    r = env.pry("fuzz", "selftest/crashes_on_bangs", "--engine", "afl", "--seed", "1",
                timeout=240)
    expect(r.returncode == 1, "afl finds the crash", r)
    expect('s = "!!"' in r.stdout, "shrunk to the minimal string", r)
    expect("AddressSanitizer" in r.stdout, "the asan replay's report", r)


@test
def test_libfuzzer_finds_and_resumes(env: Env) -> None:
    js = env.root / "lf.json"
    r = env.pry("fuzz", "selftest/small_numbers", "--engine", "libfuzzer", "--seed", "1",
                "--json", str(js), timeout=240)
    expect(r.returncode == 1, "libfuzzer finds it", r)
    expect(re.search(r"^\s+x = 1000$", r.stdout, re.M) is not None, "shrunk to x = 1000", r)
    data = json.loads(js.read_text())
    expect(data["mutator"] == "bytes", "libFuzzer's default mutator: bytes", r)
    f = data["findings"][0]
    expect(f["property"] == "small_numbers" and f["shrunk_bytes"] == 2, "json finding", r)
    r3 = env.pry("fuzz", "selftest/addition_commutes", "--engine", "libfuzzer", "--seed", "1",
                 "--time", "3", timeout=240)
    live = re.findall(r"corpus (\d+)  cov", r3.stdout)
    final = re.search(r"corpus pry-out/corpus/selftest/addition_commutes: (\d+) inputs "
                      r"\(\+(\d+) new\)", r3.stdout)
    expect(live and final is not None and int(live[-1]) == int(final.group(1))
           == int(final.group(2)), "live corpus count = kept = new on a first run", r3)
    expect(r3.returncode == 0 and "UNHEALTHY" not in r3.stdout, "a healthy property is ok", r3)
    r2 = env.pry("fuzz", "selftest/small_numbers", "--engine", "libfuzzer", "--seed", "2",
                 timeout=240)
    expect(re.search(r"resuming from \d+ corpus inputs of an earlier run", r2.stdout) is not None,
           "the second run says it resumes", r2)
    corpus = env.root / "pry-out/corpus/selftest/small_numbers"
    names = [p.name for p in corpus.iterdir()]
    expect(names and all(re.fullmatch(r"[0-9a-f]{64}", n) for n in names),
           "corpus named by sha256")


@test
def test_mutator_option_finds(env: Env) -> None:
    # --mutator end to end, each engine with the mutator that is not its
    # default (test_afl_finds_and_stops runs AFL++ typed): the custom
    # mutator and crossover under libFuzzer, AFL++'s own byte mutation,
    # a finding reported typed and shrunk, and the JSON saying which ran.
    for engine, mutator in (("libfuzzer", "typed"), ("afl", "bytes")):
        js = env.root / f"{mutator}-{engine}.json"
        r = env.pry("fuzz", "selftest/small_numbers", "--engine", engine, "--mutator", mutator,
                    "--seed", "1", "--json", str(js), timeout=240)
        expect(r.returncode == 1, f"{engine} {mutator} finds it: exit 1", r)
        expect(re.search(r"^\s+x = 1000$", r.stdout, re.M) is not None,
               f"{engine} {mutator}: shrunk to x = 1000", r)
        data = json.loads(js.read_text())
        expect(data["mutator"] == mutator and data["engine"] == engine,
               f"json says {mutator}", r)


def _stray(marker: str) -> list[str]:
    r = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    return [ln for ln in r.stdout.split() if ln and int(ln) != os.getpid()]


def _interrupt(env: Env, engine: str, sig: int) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.pop("PRY_ROOT", None)
    # Build first, so the signal lands while fuzzing.
    env.pry("fuzz", "selftest/addition_commutes", "--engine", engine, "--time", "1")
    p = subprocess.Popen([str(env.root / "pry"), "fuzz", "selftest/addition_commutes",
                          "--engine", engine, "--seed", "3"], cwd=env.root, env=e,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    p.send_signal(sig)
    out, err = p.communicate(timeout=60)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


@test
def test_interrupt_afl(env: Env) -> None:
    r = _interrupt(env, "afl", signal.SIGINT)
    expect(r.returncode == 0, "interrupted with nothing found: exit 0", r)
    expect("interrupted" in r.stdout and "finding(s) in" in r.stdout, "summary printed", r)
    time.sleep(0.5)
    expect(not _stray(str(env.root / "build")), "no process left running")


@test
def test_afl_killed_leaves_nothing(env: Env) -> None:
    """afl-fuzz killed by someone else: its forkservers, in sessions of
    their own, end too (a persistent-mode child used to stay stopped under
    init), and pry says what happened instead of a short, clean run."""
    e = dict(os.environ)
    e.pop("PRY_ROOT", None)
    env.pry("fuzz", "selftest/addition_commutes", "--engine", "afl", "--time", "1")
    p = subprocess.Popen([str(env.root / "pry"), "fuzz", "selftest/addition_commutes",
                          "--engine", "afl", "--time", "120", "--seed", "3"], cwd=env.root,
                         env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    afl = []
    for _ in range(600):  # until afl-fuzz and both forkservers run
        afl = _stray(f"afl-fuzz -i {env.root}/")
        if afl and len(_stray(str(env.root / "build"))) >= 3:
            break
        time.sleep(0.1)
    expect(bool(afl), "afl-fuzz started")
    time.sleep(1)
    for pid in afl:
        os.kill(int(pid), signal.SIGKILL)
    out, err = p.communicate(timeout=60)
    r = subprocess.CompletedProcess(p.args, p.returncode, out, err)
    expect(r.returncode == 2 and "afl-fuzz (main) was ended by SIGKILL, not by pry" in err,
           "exit 2, saying afl-fuzz was killed", r)
    time.sleep(0.5)
    expect(not _stray(str(env.root / "build")), "no process left running (forkservers ended)", r)


@test
def test_interrupt_keeps_findings(env: Env) -> None:
    """SIGTERM during a --time run that has already found the crash."""
    e = dict(os.environ)
    e.pop("PRY_ROOT", None)
    env.pry("fuzz", "selftest/crashes_on_bangs", "--engine", "libfuzzer", "--time", "1")
    p = subprocess.Popen([str(env.root / "pry"), "fuzz", "selftest", "--engine", "libfuzzer",
                          "--time", "300", "--jobs", "2", "--seed", "5"], cwd=env.root, env=e,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(8)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=90)
    r = subprocess.CompletedProcess(p.args, p.returncode, out, err)
    expect(r.returncode == 1, "interrupted after findings: exit 1", r)
    expect("interrupted" in out, "says it was interrupted", r)
    kept = list((env.root / "pry-out/selftest").glob("*/findings/*.bin"))
    expect(len(kept) > 0, "raw findings kept", r)
    time.sleep(0.5)
    expect(not _stray(str(env.root / "build")), "no process left running")


@test
def test_stop_does_not_wait_on_zombies(env: Env) -> None:
    """A group whose processes have all exited is over, even while one
    stays a zombie: the llvm-symbolizer behind a sanitizer report outlives
    the fuzzer, is adopted by pry and waits there to be reaped. stop() used
    to count it as running and waited out both grace times (8 s) after
    every finding. Run apart, as pry is: a subreaper whose adopted child is
    a zombie of the group."""
    script = r"""
import os, signal, sys, time
sys.path.insert(0, sys.argv[1])
from prylib.common import ProcessGroup, adopt_orphans, group_alive
import subprocess
adopt_orphans()
# The leader forks a child that exits at once, then is killed itself.
g = ProcessGroup([sys.executable, "-c",
                  "import os, time\nif os.fork() == 0: os._exit(0)\ntime.sleep(60)"],
                 dict(os.environ), os.getcwd(), stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL)
time.sleep(0.5)
alive_before = group_alive(g.pgid)
os.kill(g.pgid, signal.SIGKILL)
g.proc.wait()  # the leader is reaped; its child is now ours, a zombie
time.sleep(0.2)
os.killpg(g.pgid, 0)  # raises if the zombie were gone: the case is not set up
t = time.monotonic()
g.stop()
print(alive_before, group_alive(g.pgid), round(time.monotonic() - t, 1))
"""
    r = subprocess.run([sys.executable, "-c", script, str(REPO / "wrapper")],
                       capture_output=True, text=True, timeout=60)
    expect(r.returncode == 0, "the check ran (a zombie was left in the group)", r)
    alive_before, alive_after, seconds = r.stdout.split()
    expect(alive_before == "True" and alive_after == "False",
           "a running leader is alive; a group of zombies is not", r)
    expect(float(seconds) < 3.0, "stop() returns without waiting out its grace time", r)



@test
def test_stop_spares_other_threads_children(env: Env) -> None:
    """`./pry ci` runs campaigns in threads. When one campaign's fuzzer
    stopped, end_orphans SIGKILLed every child of pry outside a running
    group: also the build, replay or shrink another campaign was waiting
    for ("building plain of patch failed" with no make output, a flaky
    `make test`). Now it kills only what pry adopted. Run apart, as pry is:
    a subreaper, a helper run in a thread, and a group that leaves an
    orphan behind (as afl-fuzz's forkserver does)."""
    script = r"""
import os, subprocess, sys, threading, time
sys.path.insert(0, sys.argv[1])
from prylib import common
common.adopt_orphans()

def children(marker):
    out = []
    for pid, state in common._children():
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read()
        except OSError:
            continue
        if marker in cmd and state != "Z":
            out.append(pid)
    return out

done = {}
helper = threading.Thread(target=lambda: done.update(
    r=common.run_quiet(["sh", "-c", "sleep 1.5; echo done"], os.getcwd(), timeout=30)))
helper.start()
while not children(b"sleep"):
    time.sleep(0.01)
# The leader forks an orphan-to-be in a session of its own, then exits.
g = common.ProcessGroup([sys.executable, "-c",
                         "import os, time\nif os.fork() == 0:\n os.setsid(); time.sleep(60)\n"
                         "time.sleep(0.3)"],
                        dict(os.environ), os.getcwd(), stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
g.proc.wait()
time.sleep(0.3)  # the orphan is now pry's
orphans = children(b"setsid")
g.stop()
left = children(b"setsid")
helper.join()
print(len(orphans), len(left), done["r"].stdout.decode().strip() or "killed")
"""
    r = subprocess.run([sys.executable, "-c", script, str(REPO / "wrapper")],
                       capture_output=True, text=True, timeout=60)
    expect(r.returncode == 0, "the check ran", r)
    orphans, left, helper_out = r.stdout.split()
    expect(orphans == "1", "the group left one orphan to pry (the case is set up)", r)
    expect(left == "0", "stop() killed the orphan", r)
    expect(helper_out == "done", "and not the helper another thread waits for (it ran to its end)", r)


@test
def test_binary_kind_of_each_build(env: Env) -> None:
    # A harness binary named by path is adopted as the build it is. Every
    # engine build names __afl_area_ptr (the fuzz entry's weak reference),
    # so libFuzzer builds were taken for AFL++ ones; the typed builds were
    # not told apart at all.
    script = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from prylib import build
from prylib.common import Project
from prylib.external import binary_kind
project = Project(Path(sys.argv[2]))
for v in ("plain", "libfuzzer", "libfuzzer-typed", "mutator", "afl"):
    print(v, binary_kind(build.build(project, v, "selftest")))
"""
    r = subprocess.run([sys.executable, "-c", script, str(REPO / "wrapper"), str(env.root)],
                       capture_output=True, text=True, timeout=600, cwd=env.root)
    expect(r.returncode == 0, "the builds were made and read", r)
    kinds = dict(line.split() for line in r.stdout.splitlines())
    for v in ("plain", "libfuzzer", "libfuzzer-typed", "mutator"):
        expect(kinds.get(v) == v, f"the {v} build is read as {v}", r)
    expect(kinds.get("afl") in ("afl", "afl-cmplog"), "the afl build is read as AFL++'s", r)

@test
def test_build_stopped_or_silent_says_so(env: Env) -> None:
    # A make that dies by a signal, or fails printing nothing, used to give
    # "failed (make's output is above)" above no output at all.
    fake = env.tmp / "fakebin"
    fake.mkdir(exist_ok=True)
    for name, body in (("killed", "kill -TERM $$"), ("silent", "exit 2")):
        (fake / "make").write_text(f"#!/bin/sh\ncase \"$*\" in *' -q '*) exit 1;; esac\n{body}\n")
        (fake / "make").chmod(0o755)
        r = env.pry("fuzz", "selftest/small_numbers", "--engine", "random", "--time", "1",
                    env={"PATH": f"{fake}:{os.environ['PATH']}"})
        usage_error(r, f"make {name}")
        want = ("make was ended by SIGTERM before it finished" if name == "killed"
                else "failed (make exited 2 and printed nothing)")
        expect(want in r.stderr, f"make {name}: the error says what happened", r)


# ---- new, ci, doctor ----
@test
def test_new_then_fuzz(env: Env) -> None:
    usage_error(env.pry("new", "Bad-Name"), "invalid name")
    usage_error(env.pry("new", "selftest"), "existing name")
    r = env.pry("new", "demo_prop")
    expect(r.returncode == 0, "new exits 0", r)
    expect((env.root / "harnesses/demo_prop/demo_prop.c").is_file(), "harness file", r)
    expect((env.root / "harnesses/demo_prop/README.md").is_file(), "README", r)
    expect("demo_prop_LDLIBS := -l" in (env.root / "harnesses/demo_prop/demo_prop.c").read_text(),
           "the comment names _LDLIBS for a system library", r)
    expect(any((env.root / "corpora/demo_prop/seeds").iterdir()), "a seed", r)
    usage_error(env.pry("new", "demo_prop"), "now it exists")
    r = env.pry("fuzz", "demo_prop", "--engine", "random", "--time", "2", "--seed", "1")
    expect(r.returncode == 0, "the scaffolded property passes", r)
    r = env.pry("fuzz", "demo_prop", "--engine", "afl", "--time", "3", "--seed", "1",
                timeout=240)
    expect(r.returncode == 0, "and fuzzes under AFL++", r)
    expect("(typed mutator)" in r.stdout, "with the typed mutator, AFL++'s default", r)
    expect("coverage stayed at" not in r.stdout,
           "no tiny-coverage warning: it links no library to be blind in (12 edges is all)", r)
    r = env.pry("cov", "demo_prop", timeout=240)
    expect(r.returncode == 0 and "leaves out harnesses/demo_prop/" in r.stdout,
           "cov says why the scaffold's code in the harness file is not counted", r)
    shutil.rmtree(env.root / "harnesses/demo_prop")
    shutil.rmtree(env.root / "corpora/demo_prop")


@test
def test_new_lib(env: Env) -> None:
    """--lib: the library is built from its source tree by its own build
    (tests/extlib/fletcher: CMake), and the harness compiles against its header
    and links its archive."""
    usage_error(env.pry("new", "x", "--lib", "no/such/folder"), "--lib: missing folder")
    usage_error(env.pry("new", "x", "--lib", "deb:Not_A_Package"), "--lib: bad package name")
    r = env.pry("new", "with_lib", "--lib", "tests/extlib/fletcher")
    expect(r.returncode == 0, "new --lib exits 0", r)
    mk = (env.root / "harnesses/with_lib/harness.mk").read_text()
    expect("with_lib_EXTLIBS := fletcher" in mk and "EXT_fletcher_SRC := tests/extlib/fletcher" in mk,
           "harness.mk names the library and its source", r)
    (env.root / "harnesses/with_lib/uses_lib.c").write_text(
        '#include "pry.h"\n#include <fletcher.h>\n'
        "PRY_PROPERTY(sums_below_255)\n{\n"
        '    pry_bytes_t s = pry_bytes(p, "s", 64);\n'
        "    uint16_t c = fletcher16(s.data, s.len);\n"
        "    pry_check(p, (c & 0xff) < 255 && (c >> 8) < 255);\n}\n")
    r = env.pry("fuzz", "with_lib/sums_below_255", "--engine", "random", "--time", "1",
                "--seed", "1", timeout=300)
    expect(r.returncode == 0, "the property over the built library passes", r)
    expect((env.root / "build/plain/ext/fletcher/lib/libfletcher.a").is_file(),
           "the library was built into build/plain/ext/fletcher", r)
    r = env.pry("fuzz", "with_lib/sums_below_255", "--engine", "random", "--time", "1",
                "--seed", "1", timeout=300)
    expect("building" not in r.stdout + r.stderr,
           "a second run says nothing of building (the library is up to date)", r)
    usage_error(env.pry("new", "other", "--lib", "deb:fletcher"), "--lib: same name, other source")
    shutil.rmtree(env.root / "harnesses/with_lib")
    shutil.rmtree(env.root / "corpora/with_lib")


@test
def test_ci(env: Env) -> None:
    report = env.root / "ci-ok"
    r = env.pry("ci", "--time", "2", "--engine", "random", "--seed", "1", "--report",
                str(report), "selftest/addition_commutes")
    expect(r.returncode == 0, "clean ci: exit 0", r)
    report = env.root / "ci-bad"
    r = env.pry("ci", "--time", "4", "--engine", "random", "--seed", "1", "--report",
                str(report), "selftest/addition_commutes", "selftest/small_numbers")
    expect(r.returncode == 1, "ci with a finding: exit 1", r)
    md = (report / "summary.md").read_text()
    expect("| selftest/small_numbers | random |" in md, "summary table row", r)
    suite = ET.parse(report / "junit.xml").getroot()
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    expect(set(cases) == {"selftest/addition_commutes", "selftest/small_numbers"}, "testcases")
    fail = cases["selftest/small_numbers"].find("failure")
    expect(fail is not None and "x = 1000" in (fail.text or ""), "failure is typed")
    expect(cases["selftest/addition_commutes"].find("failure") is None, "passing case")
    sarif = json.loads((report / "results.sarif").read_text())
    expect(sarif["version"] == "2.1.0", "SARIF 2.1.0")
    driver = sarif["runs"][0]["tool"]["driver"]
    expect("informationUri" not in driver and driver["fullName"].startswith("pry "),
           "no placeholder informationUri (it must be absolute: none exists)")
    loc = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    expect(loc["artifactLocation"]["uri"] == "tests/harnesses/selftest/selftest.c"
           and loc["region"]["startLine"] == small_numbers_line(), "SARIF location")
    arts = list((report / "artifacts").iterdir())
    expect(any(a.suffix == ".cbor" for a in arts) and all(":" not in a.name for a in arts),
           "artifacts")


@test
def test_ci_replays_regressions_first(env: Env) -> None:
    rec = next((env.root / "pry-out/selftest/small_numbers/findings").glob("*.cbor"), None)
    if rec is None:  # when run alone
        env.pry("fuzz", "selftest/small_numbers", "--engine", "random", "--seed", "1")
        rec = next((env.root / "pry-out/selftest/small_numbers/findings").glob("*.cbor"))
    reg = env.root / "corpora/selftest/small_numbers/regressions"
    reg.mkdir(parents=True)
    shutil.copy(rec, reg / rec.name)
    try:
        r = env.pry("ci", "--time", "60", "--engine", "random", "selftest/addition_commutes")
        expect(r.returncode == 1 and "fails again" in r.stderr, "fails fast on a regression", r)
        expect("fuzzing" not in r.stdout, "before any fuzzing", r)
    finally:
        shutil.rmtree(env.root / "corpora/selftest")


@test
def test_keep_and_committed_regressions(env: Env) -> None:
    """Fuzzing writes nothing outside pry-out/; ./pry keep is the one step
    to a regression, and ci replays only what git tracks."""
    r = env.pry("fuzz", "selftest/small_numbers", "--engine", "random", "--seed", "1")
    rec = next((env.root / "pry-out/selftest/small_numbers/findings").glob("*.cbor"))
    expect(not (env.root / "corpora/selftest").exists(), "no regression written by fuzzing", r)
    raw = next((env.root / "pry-out/selftest/small_numbers/findings").glob("*.bin"))
    usage_error(env.pry("keep", str(raw)), "keep of raw bytes")
    usage_error(env.pry("keep", str(env.root / "nope.cbor")), "keep of a missing file")
    reg = env.root / "corpora/selftest/small_numbers/regressions" / rec.name
    r = env.pry("keep", str(rec))
    expect(r.returncode == 0 and reg.read_bytes() == rec.read_bytes(), "keep copies it", r)
    expect("git add corpora/selftest/small_numbers/regressions/" in r.stdout, "says what next", r)
    r = env.pry("keep", str(rec))
    expect(r.returncode == 0 and "already there" in r.stdout, "keep twice", r)
    try:
        subprocess.run(["git", "init", "-q"], cwd=env.root, check=True)
        subprocess.run(["git", "add", "corpora"], cwd=env.root, check=True)
        subprocess.run(["git", "rm", "-q", "--cached", str(reg)], cwd=env.root, check=True)
        r = env.pry("ci", "--time", "2", "--engine", "random", "--seed", "1",
                    "selftest/addition_commutes")
        expect(r.returncode == 0 and "not replaying 1 untracked file(s)" in r.stdout
               and str(reg.relative_to(env.root)) in r.stdout
               and "0 committed regression(s) pass" in r.stdout, "an untracked file is no "
               "committed regression", r)
        subprocess.run(["git", "add", str(reg)], cwd=env.root, check=True)
        r = env.pry("ci", "--time", "2", "--engine", "random", "selftest/addition_commutes")
        expect(r.returncode == 1 and "fails again" in r.stderr, "a tracked one is replayed", r)
    finally:
        shutil.rmtree(env.root / ".git", ignore_errors=True)
        shutil.rmtree(env.root / "corpora/selftest", ignore_errors=True)


@test
def test_make_demo_exit_status(env: Env) -> None:
    """make demo succeeds when ./pry demo found and showed the bug (its exit
    1), fails when it found nothing (0), and passes 2 through."""
    stub = env.root / "stub-pry"
    for pry_rc, make_ok in ((1, True), (0, False), (2, False)):
        stub.write_text(f"#!/bin/sh\necho demo-ran \"$@\"\nexit {pry_rc}\n")
        stub.chmod(0o755)
        r = subprocess.run(["make", "--no-print-directory", "demo"], cwd=env.root,
                           env=dict(os.environ, PRY=str(stub)), capture_output=True, text=True)
        expect("demo-ran demo" in r.stdout, "make demo runs ./pry demo", r)
        expect((r.returncode == 0) == make_ok, f"./pry demo exit {pry_rc}: make's status", r)
        if make_ok:
            expect("Error" not in r.stderr, "no 'make: *** ... Error' line", r)
    stub.unlink()


@test
def test_doctor(env: Env) -> None:
    r = env.pry("doctor")
    expect(r.returncode in (0, 2), "doctor exits 0 or 2", r)
    lines = [ln for ln in r.stdout.splitlines() if ln.strip()]
    expect(all(ln.startswith(("ok", "FIX:", "note:")) for ln in lines), "ok/FIX lines", r)
    expect(any("python3" in ln for ln in lines), "checks python3", r)
    expect((r.returncode == 0) == (not any(ln.startswith("FIX:") and "(optional" not in ln
                                           for ln in lines)), "status matches the lines", r)


COV_TARGET = """/* covdemo: a library with one branch per range of x (test_cov). */
#include "covdemo.h"
#include <stddef.h>

int covdemo_classify(unsigned x)
{
    if (x < 10)
        return 0;
    if (x < 100)
        return 1;
    if (x == 0xEE) { /* a crash, to check replay goes on without it */
        volatile int *q = NULL;
        *q = 1;
    }
    return 2;
}
"""
COV_HARNESS = """#include "pry.h"
#include "covdemo.h"

PRY_PROPERTY(classify_in_range)
{
    unsigned x = pry_u8(p, "x");
    int c = covdemo_classify(x);
    pry_check(p, c >= 0 && c <= 2, "class %d", c);
}
"""


@test
def test_cov(env: Env) -> None:
    """./pry cov: per-file line coverage of the code under test only (not
    the harness, not the kit), from the corpus; a crashing input is left
    out; no corpus is a usage error; a harness linking a system library
    and no code of its own is reported by doctor."""
    (env.root / "targets/covdemo").mkdir(parents=True)
    (env.root / "targets/covdemo/covdemo.c").write_text(COV_TARGET)
    (env.root / "targets/covdemo/covdemo.h").write_text("int covdemo_classify(unsigned x);\n")
    (env.root / "harnesses/covdemo").mkdir()
    (env.root / "harnesses/covdemo/covdemo.c").write_text(COV_HARNESS)
    seeds = env.root / "corpora/covdemo/classify_in_range/seeds"
    try:
        usage_error(env.pry("cov", "covdemo", timeout=240), "cov with no corpus")
        seeds.mkdir(parents=True)
        (seeds / "five").write_bytes(b"\x05")
        r = env.pry("cov", "covdemo/classify_in_range", timeout=240)
        expect(r.returncode == 0, "cov exits 0", r)
        row = next((ln.split() for ln in r.stdout.splitlines()
                    if ln.startswith("targets/covdemo/covdemo.c")), None)
        expect(row is not None, "a row for the code under test", r)
        expect(not any(w in r.stdout for w in ("harnesses/", "generators/")),
               "no harness or kit files in the report", r)
        covered, count = map(int, row[2].split("/"))
        expect(0 < covered < count, "one seed covers part of the library", r)
        expect((env.root / "pry-out/covdemo/cov/classify_in_range/html/index.html").is_file(),
               "HTML report", r)
        (seeds / "fifty").write_bytes(b"\x32")
        (seeds / "crash").write_bytes(b"\xee")
        (seeds / "two-hundred").write_bytes(b"\xc8")
        r = env.pry("cov", "covdemo/classify_in_range", timeout=240)
        expect("3 passed" in r.stdout and "1 crashed" in r.stdout, "the crash is left out", r)
        row2 = next(ln.split() for ln in r.stdout.splitlines()
                    if ln.startswith("targets/covdemo/covdemo.c"))
        covered2 = int(row2[2].split("/")[0])
        expect(covered2 > covered, "more seeds, more lines covered (the crash's not lost)", r)
        (env.root / "harnesses/covdemo/harness.mk").write_text(
            "covdemo_TARGETS :=\ncovdemo_LDLIBS := -lcbor\n")
        r = env.pry("doctor", "covdemo")
        expect(r.returncode == 2 and "covdemo_EXTLIBS" in r.stdout
               and "libcbor" in r.stdout, "doctor: a system library, uninstrumented", r)
    finally:
        for d in ("targets/covdemo", "harnesses/covdemo", "corpora/covdemo"):
            shutil.rmtree(env.root / d, ignore_errors=True)


@test
def test_environment_errors(env: Env) -> None:
    r = env.pry("fuzz", "selftest/small_numbers", "--engine", "afl",
                env={"ASAN_OPTIONS": "detect_leaks=0"})
    usage_error(r, "ASAN_OPTIONS without abort_on_error")
    r = env.pry("demo")
    usage_error(r, "demo with no planted harness")


def main() -> int:
    only = sys.argv[1:]
    env = Env()
    passed = failed = 0
    t0 = time.monotonic()
    try:
        for fn in TESTS:
            if only and fn.__name__ not in only:
                continue
            t = time.monotonic()
            try:
                fn(env)
                passed += 1
                print(f"ok    {fn.__name__} ({time.monotonic() - t:.1f} s)", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL  {fn.__name__}\n{traceback.format_exc()}", flush=True)
    finally:
        env.close()
    print(f"(total {time.monotonic() - t0:.0f} s)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
