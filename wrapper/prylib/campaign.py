"""One fuzzing campaign: `./pry fuzz`, `./pry demo` and each property of
`./pry ci`. Build, start the engine, show progress, stop (time, first
finding, or a signal), turn crashes into findings, keep the corpus."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, TextIO

from . import build
from .common import Project, PryError, StopFlag, Target, plant_suffix, sync_into
from .cov import instrumentation_problems, tiny_coverage
from .engines import EngineContext, make_engine
from .findings import Finding, FindingProcessor
from .health import fuzzer_verdict
from .progress import Progress, Stats

POLL = 0.25
# The mutator when --mutator is not given: whichever won in the bench
# (bench/RESULTS-deep.md). Under AFL++ the typed mutator found four of the
# five h2 and nic deep plants 1.4-6.6x faster, the fifth as fast, and was
# at most 1.33x slower on the patch deep plants; it loses seconds on two
# shallow plants (2.6x and 4.8x of under 4 s) and wins minutes on deep
# ones. Under libFuzzer it was 1.58x slower on plus-anchor over 10 seeds
# and 1.6-1.8x on three quick nic plants, and its build is a variant of
# its own, so bytes stays the default there.
DEFAULT_MUTATOR = {"afl": "typed", "libfuzzer": "bytes"}


def resolve_mutator(engine: str, mutator: Optional[str]) -> str:
    """--mutator checked against the engine; None gives the engine's default."""
    if mutator not in (None, "bytes", "typed"):
        raise PryError(f"--mutator wants typed or bytes, not '{mutator}'")
    if mutator == "typed" and engine == "random":
        raise PryError("--mutator typed is for --engine afl or libfuzzer (random mode draws values itself)")
    return mutator or DEFAULT_MUTATOR.get(engine, "bytes")


@dataclass
class FuzzOptions:
    target: Target
    engine: str = "afl"
    time_limit: Optional[float] = None
    jobs: int = 1
    plant: Optional[str] = None
    seed: Optional[int] = None
    json_path: Optional[Path] = None
    ui: bool = False
    stop_on_find: Optional[bool] = None  # default: when there is no time limit
    progress: str = "auto"               # auto | live | plain | silent
    mutator: Optional[str] = None        # bytes | typed; None: the engine's default


@dataclass
class CampaignResult:
    target: Target
    engine: str
    seconds: float = 0.0
    stats: Stats = field(default_factory=Stats)
    findings: list[Finding] = field(default_factory=list)
    interrupted: bool = False
    resumed: int = 0
    run_dir: Optional[Path] = None
    unhealthy: list[str] = field(default_factory=list)  # the runner's UNHEALTHY lines
    mutator: str = "bytes"

    def to_json(self, project: Project) -> dict:
        def rel(p: Optional[Path]) -> Optional[str]:
            return project.rel(p) if p is not None else None
        return {
            "target": str(self.target), "engine": self.engine, "mutator": self.mutator,
            "seconds": round(self.seconds, 3), "execs": self.stats.execs,
            "execs_per_sec": round(self.stats.execs / self.seconds, 1) if self.seconds else 0.0,
            "findings": [{"property": f.prop, "time_to_find_s":
                          None if f.time_to_find_s is None else round(f.time_to_find_s, 3),
                          "execs_to_find": f.execs_to_find, "input": rel(f.raw),
                          "cbor": rel(f.cbor), "message": f.message,
                          "shrunk_bytes": f.shrunk_bytes} for f in self.findings],
            "unhealthy": self.unhealthy,
        }


def progress_mode(requested: str, stream: TextIO) -> str:
    if requested != "auto":
        return requested
    return "live" if stream.isatty() else "plain"


def run_campaign(project: Project, opts: FuzzOptions, stop: StopFlag,
                 stream: TextIO = sys.stdout) -> CampaignResult:
    t = opts.target
    mutator = resolve_mutator(opts.engine, opts.mutator)
    project.check_plant(opts.plant, t.harness)
    props = build.check_property(project, t.harness, t.prop, opts.plant)
    skip = skipped_expected_failures(project, t, props)
    stop_on_find = opts.stop_on_find if opts.stop_on_find is not None \
        else opts.time_limit is None
    run_dir = project.run_dir(t, opts.engine, opts.plant)
    run_dir.mkdir(parents=True, exist_ok=True)
    ctx = EngineContext(project=project, target=t, plant=opts.plant, props=props,
                        time_limit=opts.time_limit, jobs=opts.jobs, seed=opts.seed,
                        run_dir=run_dir, corpus_dir=project.corpus_dir(t),
                        seed_dirs=project.seed_dirs(t), stop_on_find=stop_on_find, ui=opts.ui,
                        skip=skip, health_file=run_dir / "health.bin",
                        mutator=mutator, mutator_chosen=opts.mutator is not None)
    ctx.health_file.unlink(missing_ok=True)  # type: ignore[union-attr]
    engine = make_engine(opts.engine, ctx)
    engine.prepare()
    processor = FindingProcessor(project, t.harness, opts.plant, run_dir / "replay", stream,
                                 stop, selector=(len(props) > 1, ctx.env()))
    mode = progress_mode(opts.progress, stream)
    if opts.ui and opts.engine == "afl" and sys.stdout.isatty() and opts.jobs == 1:
        mode = "silent"  # AFL++ draws its own screen
    # ctx.mutator: what runs (a default typed falls back to bytes where the
    # mutator build cannot be made, and says so)
    result = CampaignResult(t, opts.engine, run_dir=run_dir, mutator=ctx.mutator)
    # The campaign's time runs from the engine's start: the engine's own
    # clock (random mode's --time turns, AFL++'s -V) starts there, and the
    # checks below (instrumentation_problems runs nm) take time on a busy
    # machine that the report must not leave out.
    started = time.monotonic()
    engine.start()
    result.resumed = getattr(engine, "resumed", 0)
    say = stream.write if mode != "silent" else (lambda s: None)
    if result.resumed:
        say(f"pry: resuming from {result.resumed} corpus inputs of an earlier run "
            f"({project.rel(ctx.corpus_dir)})\n")
    limit = "until the first finding" if opts.time_limit is None \
        else f"for {opts.time_limit:g} s"
    if skip:
        say(f"pry: not fuzzing {t.harness}/{{{','.join(skip)}}}: expected failures "
            f"(harnesses/{t.harness}/expected-failures.tsv); name one to fuzz it: "
            f"./pry fuzz {t.harness}/{skip[0]}\n")
    say(f"pry: fuzzing {t}{' with planted bugs ' + opts.plant if opts.plant else ''} "
        f"with {opts.engine}{' (typed mutator)' if ctx.mutator == 'typed' else ''} {limit} "
        f"(output in {project.rel(run_dir)})\n")
    blind, _ = instrumentation_problems(project, t.harness)
    for problem in blind:
        say(f"pry: warning: {problem}\n")
    stream.flush()
    progress = Progress(mode, run_dir / "progress.csv", stream)
    stats = Stats()
    try:
        while engine.running():
            stats = engine.poll()
            progress.update(stats)
            elapsed = time.monotonic() - started
            if stop.is_set():
                result.interrupted = True
                break
            if stop_on_find and stats.findings > 0:
                break
            # The engines stop themselves on time; this is the backstop.
            if opts.time_limit is not None and elapsed > opts.time_limit + 30:
                break
            stop.sleep(POLL)
    finally:
        engine.stop()
        stats = engine.poll()
        progress.update(stats, force=True)
        progress.finish()
    result.seconds = time.monotonic() - started
    result.stats = stats
    if result.interrupted:
        say(f"pry: interrupted after {result.seconds:.1f} s; stopped every process\n")
    crashes = engine.crashes()
    problem = engine.startup_error()
    if not crashes and problem:
        raise PryError(problem)
    if crashes:
        if problem:
            say(f"pry: {opts.engine} stopped at start-up ({problem}): checking its inputs\n")
        say(f"pry: {len(crashes)} input(s) saved as failing; replaying and shrinking\n")
        stream.flush()
        result.findings = processor.process(crashes, t.slot, quick=result.interrupted)
        for f in result.findings:
            processor.print_finding(f)
        if problem and not result.findings:
            raise PryError(problem)  # its inputs all pass: the stop was not a finding
    result.unhealthy = list(getattr(engine, "unhealthy", [])) or \
        fuzzer_verdict(project, t, opts.plant, ctx.health_file)
    new = sync_into(engine.new_corpus(), ctx.corpus_dir)
    engine.minimise_corpus(ctx.corpus_dir)
    kept = sum(1 for f in ctx.corpus_dir.iterdir() if f.is_file()) if ctx.corpus_dir.is_dir() else 0
    say(f"pry: {len(result.findings)} finding(s) in {result.seconds:.1f} s, "
        f"{stats.execs} execs; corpus {project.rel(ctx.corpus_dir)}: {kept} inputs "
        f"(+{new} new)\n")
    tiny = tiny_coverage(project, t.harness, stats.coverage_value, stats.execs)
    if tiny and not blind:
        say(f"pry: warning: {tiny}\n")
    for line in result.unhealthy:
        stream.write(line + "\n")
    if opts.json_path is not None:
        opts.json_path.parent.mkdir(parents=True, exist_ok=True)
        opts.json_path.write_text(json.dumps(result.to_json(project), indent=2) + "\n")
    return result


def skipped_expected_failures(project: Project, t: Target, props: list[str]) -> list[str]:
    """A whole harness is fuzzed without its expected failures (known bugs
    of a library we do not own); a property named explicitly still runs."""
    if t.prop is not None:
        return []
    xfail = project.expected_failures(t.harness)
    skip = [p for p in props if p in xfail]
    if skip and len(skip) == len(props):
        raise PryError(f"every property of {t.harness} is an expected failure "
                       f"(harnesses/{t.harness}/expected-failures.tsv): name one to fuzz it, "
                       f"./pry fuzz {t.harness}/{skip[0]}")
    return skip


def describe(opts: FuzzOptions) -> str:
    return f"{opts.target} [{opts.engine}{plant_suffix(opts.plant)}]"
