"""./pry ci: the CI job. Replay the committed regressions first (fail fast:
a regression that fails again needs no fuzzing to prove it), then fuzz
every property for its share of the time, several at once up to the core
count, and write the report folder. Exit 1 on findings, 0 clean."""

from __future__ import annotations

import io
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import build
from .campaign import CampaignResult, FuzzOptions, resolve_mutator, run_campaign
from .cov import ci_lines
from .common import (EXIT_ERROR, EXIT_FOUND, EXIT_OK, Project, PryError, StopFlag, Target,
                     cpu_count, run_quiet)
from .findings import copy_artifacts
from .reports import write_reports

DEFAULT_TIME = 60.0
MIN_SLICE = 2.0


@dataclass
class CiOptions:
    targets: list[Target] = field(default_factory=list)
    time_total: Optional[float] = None
    time_per: Optional[float] = None
    engine: str = "afl"
    report: Path = Path("pry-out/ci-report")
    seed: Optional[int] = None
    mutator: Optional[str] = None  # None: the engine's default (campaign.DEFAULT_MUTATOR)


def committed(project: Project, files: list[Path]) -> list[Path]:
    """The files git tracks, in a git checkout: a stray file (a finding
    copied by hand, a half-done `./pry keep`) is no committed regression.
    Outside git every file counts."""
    r = run_quiet(["git", "ls-files", "-z", "--", "corpora"], project.root, timeout=60)
    if r.returncode != 0:
        return files
    tracked = {(project.root / n).resolve() for n in r.stdout.decode().split("\0") if n}
    strays = [f for f in files if f.resolve() not in tracked]
    if strays:
        print(f"pry ci: not replaying {len(strays)} untracked file(s) under "
              f"corpora/*/*/regressions/ (git add to make them regressions): "
              f"{', '.join(project.rel(f) for f in strays[:3])}"
              + (" ..." if len(strays) > 3 else ""))
    return [f for f in files if f.resolve() in tracked]


def replay_regressions(project: Project) -> int:
    """Replay the committed corpora/*/*/regressions/*.cbor; raise on the
    first failure. A regression of an expected failure (a known bug of a
    library we do not own) must still fail; if it passes, say so: the list
    needs updating."""
    count = 0
    for rec in committed(project, sorted(project.root.glob("corpora/*/*/regressions/*.cbor"))):
        harness = rec.parent.parent.parent.name
        prop = rec.parent.parent.name
        if project.harness_dir(harness) is None:
            continue
        binary = build.build(project, "plain", harness)
        r = run_quiet([str(binary), "--repro", str(rec)], project.root, timeout=120)
        count += 1
        if prop in project.expected_failures(harness):
            if r.returncode == 0:
                print(f"pry ci: note: {project.rel(rec)} ({harness}/{prop}) passes now; "
                      f"remove it from harnesses/{harness}/expected-failures.tsv")
            continue
        if r.returncode != 0:
            sys.stdout.write(r.stdout.decode(errors="replace"))
            raise RegressionFailed(project.rel(rec), r.returncode)
    return count


class RegressionFailed(Exception):
    def __init__(self, path: str, code: int):
        super().__init__(path)
        self.path = path
        self.code = code


def expand(project: Project, targets: list[Target]) -> list[Target]:
    """Every property of the named targets (default: shipped harnesses)."""
    if not targets:
        targets = [Target(h, None) for h in project.shipped_harnesses()]
    out: list[Target] = []
    for t in targets:
        names = build.check_property(project, t.harness, t.prop)
        if t.prop:
            out.append(t)  # named explicitly: fuzzed even if expected to fail
            continue
        xfail = project.expected_failures(t.harness)
        skipped = [p for p in names if p in xfail]
        if skipped:
            print(f"pry ci: not fuzzing {t.harness}/{{{','.join(skipped)}}}: expected failures "
                  f"(harnesses/{t.harness}/expected-failures.tsv)")
        out += [Target(t.harness, p) for p in names if p not in xfail]
    return out


def run_ci(project: Project, opts: CiOptions, stop: StopFlag) -> int:
    started = time.monotonic()
    typed = resolve_mutator(opts.engine, opts.mutator) == "typed"
    try:
        n_reg = replay_regressions(project)
    except RegressionFailed as e:
        sys.stderr.write(f"pry: committed regression {e.path} fails again\n")
        return EXIT_FOUND if e.code == 1 else EXIT_ERROR
    print(f"pry ci: {n_reg} committed regression(s) pass")
    props = expand(project, opts.targets)
    if not props:
        raise PryError("nothing to fuzz: no shipped harnesses (name targets explicitly)")
    workers = max(1, min(cpu_count(), len(props)))
    if opts.time_per is not None:
        per = opts.time_per
    else:
        total = opts.time_total if opts.time_total is not None else DEFAULT_TIME
        per = max(MIN_SLICE, total * workers / len(props))
    print(f"pry ci: fuzzing {len(props)} properties with {opts.engine}, {per:.0f} s each, "
          f"{workers} at a time")
    sys.stdout.flush()
    # Build every binary the campaigns need before they start: two campaigns
    # of one harness building the same archive at once would race in make.
    variants = {"afl": ["plain", "asan", "afl", "afl-cmplog"],
                "libfuzzer": ["plain", "asan", "libfuzzer"]}.get(opts.engine, ["plain", "asan"])
    bytes_only: set[str] = set()
    for harness in sorted({t.harness for t in props}):
        for variant in variants:
            build.build(project, variant, harness)
        if typed:
            variant = "mutator" if opts.engine == "afl" else "libfuzzer-typed"
            try:
                build.build(project, variant, harness)
            except PryError as e:
                if opts.mutator is not None:
                    raise  # asked for: an error; the default falls back, and says so
                print(f"pry ci: no typed mutator for {harness} ({e}); fuzzing it with "
                      "byte mutation")
                bytes_only.add(harness)

    def one(t: Target) -> CampaignResult:
        buf = io.StringIO()
        fo = FuzzOptions(target=t, engine=opts.engine, time_limit=per, seed=opts.seed,
                         mutator="bytes" if t.harness in bytes_only else opts.mutator,
                         stop_on_find=True, progress="silent")
        try:
            r = run_campaign(project, fo, stop, stream=buf)
        except PryError as e:
            print(f"  {t}: error: {e}")
            raise
        mark = "FOUND" if r.findings else "UNHEALTHY" if r.unhealthy else "ok"
        print(f"  {mark:5} {t}: {r.stats.execs} execs in {r.seconds:.1f} s"
              + (f", {len(r.findings)} finding(s)" if r.findings else ""))
        for line in r.unhealthy:
            print("    " + line)
        if r.findings:
            sys.stdout.write("".join("    " + ln + "\n" for ln in buf.getvalue().splitlines()
                                     if ln and not ln.startswith("pry: ")))
        sys.stdout.flush()
        return r

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, props))
    seconds = time.monotonic() - started
    paths = write_reports(opts.report, project, results, n_reg, seconds)
    cov = ci_lines(project, sorted({t.harness for t in props}))
    with open(opts.report / "summary.md", "a") as md:
        md.write("\n## Coverage of the code under test (./pry cov)\n\n"
                 + "".join(f"- {ln}\n" for ln in cov))
    print("".join(f"pry ci: coverage: {ln}\n" for ln in cov), end="")
    findings = [f for r in results for f in r.findings]
    if findings:
        art = opts.report / "artifacts"
        if art.exists():
            shutil.rmtree(art)
        copy_artifacts(findings, art)
    print(f"pry ci: report in {project.rel(opts.report)} "
          f"({', '.join(p.name for p in paths)}); {len(findings)} finding(s)")
    if any(r.interrupted for r in results):
        print("pry ci: interrupted")
    unhealthy = [line for r in results for line in r.unhealthy]
    if not findings and unhealthy:
        from .health import unhealthy_error
        raise PryError(unhealthy_error(unhealthy))
    return EXIT_FOUND if findings else EXIT_OK
