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
def test_unknown_targets(env: Env) -> None:
    usage_error(env.pry("fuzz", "nosuch"), "unknown harness")
    usage_error(env.pry("fuzz", "selftest/nosuch", "--engine", "random"), "unknown property")
    usage_error(env.pry("fuzz", "Bad:Name"), "malformed target")
    usage_error(env.pry("fuzz", "selftest", "--plant", "nosuchbug", "--engine", "random"),
                "unknown plant")


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
    expect(data["target"] == "selftest/small_numbers" and data["engine"] == "afl", "json head")
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
    f = json.loads(js.read_text())["findings"][0]
    expect(f["property"] == "small_numbers" and f["shrunk_bytes"] == 2, "json finding", r)
    r2 = env.pry("fuzz", "selftest/small_numbers", "--engine", "libfuzzer", "--seed", "2",
                 timeout=240)
    expect(re.search(r"resuming from \d+ corpus inputs of an earlier run", r2.stdout) is not None,
           "the second run says it resumes", r2)
    corpus = env.root / "pry-out/corpus/selftest/small_numbers"
    names = [p.name for p in corpus.iterdir()]
    expect(names and all(re.fullmatch(r"[0-9a-f]{64}", n) for n in names),
           "corpus named by sha256")


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


# ---- new, ci, doctor ----
@test
def test_new_then_fuzz(env: Env) -> None:
    usage_error(env.pry("new", "Bad-Name"), "invalid name")
    usage_error(env.pry("new", "selftest"), "existing name")
    r = env.pry("new", "demo_prop")
    expect(r.returncode == 0, "new exits 0", r)
    expect((env.root / "harnesses/demo_prop/demo_prop.c").is_file(), "harness file", r)
    expect((env.root / "harnesses/demo_prop/README.md").is_file(), "README", r)
    expect(any((env.root / "corpora/demo_prop/seeds").iterdir()), "a seed", r)
    usage_error(env.pry("new", "demo_prop"), "now it exists")
    r = env.pry("fuzz", "demo_prop", "--engine", "random", "--time", "2", "--seed", "1")
    expect(r.returncode == 0, "the scaffolded property passes", r)
    r = env.pry("fuzz", "demo_prop", "--engine", "afl", "--time", "3", "--seed", "1",
                timeout=240)
    expect(r.returncode == 0, "and fuzzes under AFL++", r)
    shutil.rmtree(env.root / "harnesses/demo_prop")
    shutil.rmtree(env.root / "corpora/demo_prop")


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
def test_doctor(env: Env) -> None:
    r = env.pry("doctor")
    expect(r.returncode in (0, 2), "doctor exits 0 or 2", r)
    lines = [ln for ln in r.stdout.splitlines() if ln.strip()]
    expect(all(ln.startswith(("ok", "FIX:", "note:")) for ln in lines), "ok/FIX lines", r)
    expect(any("python3" in ln for ln in lines), "checks python3", r)
    expect((r.returncode == 0) == (not any(ln.startswith("FIX:") and "(optional" not in ln
                                           for ln in lines)), "status matches the lines", r)


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
