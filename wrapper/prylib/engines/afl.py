"""AFL++ (4.04c and later): one -M instance and N-1 -S instances, one of
them with cmplog (-c). Live numbers come over StatsD (AFL_STATSD), one UDP
socket per instance, because afl-fuzz only rewrites fuzzer_stats once a
minute when there is no UI."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Optional

from .. import build
from ..common import ProcessGroup, PryError, cpu_count, run_quiet
from ..progress import Stats
from . import Crash, Engine, EngineContext, collect_dicts, fresh_dir, stage_inputs

CORE_PATTERN = Path("/proc/sys/kernel/core_pattern")
CORE_FIX = "echo core | sudo tee /proc/sys/kernel/core_pattern"
# The driver of AFL++ 4.04c calls the target once with these 4 bytes before
# fuzzing; if the property fails on them, every start looks like a crash.
DRIVER_DUMMY_INPUT = b"##SI"
CMIN_THRESHOLD = 2000
NAME_FIELD = re.compile(r"(?:^|,)(time|execs):(\d+)")


def core_pattern_problem() -> Optional[str]:
    """A core_pattern that pipes to a program (apport, systemd-coredump)
    makes crashes slow to report and afl-fuzz refuses to start."""
    if os.environ.get("PRY_IGNORE_CORE_PATTERN") == "1":
        return None
    try:
        pattern = CORE_PATTERN.read_text().strip()
    except OSError:
        return None
    if pattern.startswith("|"):
        return (f"core dumps go to a program ({pattern.split()[0]}): run "
                f"'{CORE_FIX}' (or set PRY_IGNORE_CORE_PATTERN=1 to fuzz anyway)")
    return None


def asan_options_problem() -> Optional[str]:
    opts = os.environ.get("ASAN_OPTIONS")
    if opts is not None and "abort_on_error=1" not in opts:
        return ("ASAN_OPTIONS is set without abort_on_error=1, so AFL++ would miss "
                "sanitizer findings: add it or unset ASAN_OPTIONS")
    return None


def is_afl_build(data: bytes) -> bool:
    """Whether a binary's bytes are an AFL++ build: AFL++'s runtime
    (afl-compiler-rt, linked by afl-clang-fast) or its persistent-mode
    signature. Not __afl_area_ptr: pry's fuzz entry names it weakly in
    every engine build, libFuzzer's included."""
    return b"__afl_persistent_loop" in data or b"##SIG_AFL_PERSISTENT##" in data


def is_instrumented(binary: Path) -> bool:
    return is_afl_build(binary.read_bytes())


class _Instance:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path,
                 cwd: Path):
        self.name = name
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        env = dict(env, AFL_STATSD="1", AFL_STATSD_HOST="127.0.0.1",
                   AFL_STATSD_PORT=str(self.sock.getsockname()[1]))
        self.log = log
        self.metrics: dict[str, float] = {}
        self.ui = env.get("AFL_NO_UI") != "1"
        self.died: Optional[int] = None  # the signal that ended it, not sent by pry
        out = None if self.ui else open(log, "wb")
        self.group = ProcessGroup(argv, env, cwd, stdout=out,
                                  stderr=None if self.ui else subprocess.STDOUT)
        if out is not None:
            out.close()

    def drain(self) -> None:
        while True:
            try:
                data = self.sock.recv(65536)
            except (BlockingIOError, OSError):
                return
            for line in data.decode(errors="replace").splitlines():
                m = re.match(r"fuzzing\.(\w+):([-\d.]+)\|g", line)
                if m:
                    self.metrics[m.group(1)] = float(m.group(2))

    def close(self) -> None:
        self.sock.close()


class AflEngine(Engine):
    name = "afl"

    def __init__(self, ctx: EngineContext):
        super().__init__(ctx)
        self.instances: list[_Instance] = []
        self.out_dir = ctx.run_dir / "afl"
        self.in_dir = ctx.run_dir / "in"
        self.resumed = 0
        self.map_cvg = ""
        self.custom: Optional[Path] = None  # AFL++ custom mutator library

    def prepare(self) -> None:
        from shutil import which
        for tool in ("afl-fuzz", "afl-clang-fast"):
            if which(tool) is None:
                raise PryError(f"{tool} is missing: sudo apt-get install -y afl++")
        for problem in (core_pattern_problem(), asan_options_problem()):
            if problem:
                raise PryError(problem)
        c = self.ctx
        self.binary = build.build(c.project, "afl", c.target.harness, c.plant)
        self.cmplog = build.build(c.project, "afl-cmplog", c.target.harness, c.plant)
        # typed (the default): the harness as AFL++'s custom mutator library
        self.custom = self._typed_mutator() if c.mutator == "typed" else None
        for b in (self.binary, self.cmplog):
            if not is_instrumented(b):
                raise PryError(f"{c.project.rel(b)} is not instrumented for AFL++: "
                               "run 'make clean' and try again")

    def _typed_mutator(self) -> Optional[Path]:
        """The mutator build; when typed is only the default and that build
        cannot be made (a pry.toml without the mutator variant), fuzz with
        AFL++'s byte mutation and say so, rather than not fuzzing."""
        c = self.ctx
        try:
            return build.build(c.project, "mutator", c.target.harness, c.plant)
        except PryError as e:
            if c.mutator_chosen:
                raise
            sys.stderr.write(f"pry: no typed mutator for {c.target.harness}: {e}\n"
                             "pry: fuzzing with AFL++'s own byte mutation instead "
                             "(--mutator bytes asks for it and skips this)\n")
            c.mutator = "bytes"
            return None

    def _env(self) -> dict[str, str]:
        env = self.ctx.env()
        # AFL_EXIT_ON_SEED_ISSUES: afl-fuzz 4.04c otherwise skips an input
        # of its -i folder that crashes with a warning in its log and saves
        # nothing, so a committed seed or a resumed corpus input that fails
        # (a planted bug, a regression in the code) would be lost. It stops
        # instead, and crashes() takes the input it names as the finding,
        # as libFuzzer reports a failing seed at once.
        env.update(AFL_SKIP_CPUFREQ="1", AFL_AUTORESUME="1", AFL_FAST_CAL="1",
                   AFL_CMPLOG_ONLY_NEW="1", AFL_NO_CRASH_README="1",
                   AFL_EXIT_ON_SEED_ISSUES="1",
                   AFL_IGNORE_UNKNOWN_ENVS="1", PRY_QUIET="1")
        # Pin to free cores when there are enough, else let the kernel place us.
        if self.ctx.jobs > cpu_count():
            env["AFL_NO_AFFINITY"] = "1"
        else:
            env["AFL_TRY_AFFINITY"] = "1"
        if not (self.ctx.ui and self.ctx.jobs == 1 and sys.stdout.isatty()):
            env["AFL_NO_UI"] = "1"
        if self.ctx.stop_on_find:
            env["AFL_BENCH_UNTIL_CRASH"] = "1"
        if self.custom is not None:
            env["AFL_CUSTOM_MUTATOR_LIBRARY"] = str(self.custom)
        return env

    def start(self) -> None:
        c = self.ctx
        _, self.resumed = stage_inputs(c, self.in_dir)
        fresh_dir(self.out_dir)
        dicts = collect_dicts(c, self.binary.parent / "autodict.dict")
        env = self._env()
        for i in range(c.jobs):
            name = "main" if i == 0 else f"s{i}"
            argv = ["afl-fuzz", "-i", str(self.in_dir), "-o", str(self.out_dir),
                    "-M" if i == 0 else "-S", name]
            # cmplog solves the fixed-width integer comparisons pry's
            # generators are designed for; one instance is enough.
            if (c.jobs == 1 and i == 0) or i == 1:
                argv += ["-c", str(self.cmplog)]
            for d in dicts[:4]:
                argv += ["-x", str(d)]
            if c.seed is not None:
                argv += ["-s", str(c.seed + i)]
            if c.time_limit is not None:
                argv += ["-V", str(max(1, int(c.time_limit)))]
            argv += ["--", str(self.binary)]
            self.instances.append(_Instance(name, argv, env, c.run_dir / f"afl-{name}.log",
                                            c.project.root))

    def running(self) -> bool:
        alive = False
        for inst in self.instances:
            if inst.group.running():
                alive = True
            elif inst.died is None and inst.group.proc.returncode < 0:
                inst.died = -inst.group.proc.returncode  # not stopped by pry: killed, crashed
        return alive

    def poll(self) -> Stats:
        s = Stats()
        edges = 0.0
        for inst in self.instances:
            inst.drain()
            m = inst.metrics
            s.execs += int(m.get("execs_done", 0))
            s.execs_per_sec += m.get("execs_per_sec", 0.0)
            s.corpus = max(s.corpus, int(m.get("corpus_count", 0)))
            edges = max(edges, m.get("edges_found", 0.0))
        s.findings = len(self._crash_files())
        s.coverage_value = edges
        s.coverage = f"{int(edges)} edges" + (f" ({self.map_cvg})" if self.map_cvg else "")
        return s

    def stop(self) -> None:
        for inst in self.instances:
            inst.group.stop()
        for inst in self.instances:
            inst.drain()
            inst.close()
        stats = self.out_dir / "main" / "fuzzer_stats"
        if stats.is_file():
            m = re.search(r"^bitmap_cvg\s*:\s*(\S+)", stats.read_text(), re.M)
            self.map_cvg = m.group(1) if m else ""

    def _crash_files(self) -> list[Path]:
        return sorted(p for p in self.out_dir.glob("*/crashes/id:*") if p.is_file())

    def crashes(self) -> list[Crash]:
        found = []
        for p in self._crash_files():
            fields = dict(NAME_FIELD.findall(p.name))
            found.append(Crash(p, self.ctx.target.prop,
                               int(fields["time"]) / 1000.0 if "time" in fields else None,
                               int(fields["execs"]) if "execs" in fields else None))
        stop = self._start_stop()
        if not found and stop is not None and stop[1]:
            found = self._startup_candidates()
        return found

    def _startup_candidates(self) -> list[Crash]:
        """afl-fuzz refuses to start when its inputs crash: the input its
        log names, or else every input (and the driver's own first input),
        is then the finding, if the plain build agrees that it fails."""
        named = self._crashing_seed()
        if named is not None:
            return [Crash(named, self.ctx.target.prop, 0.0, 0)]
        dummy = self.ctx.run_dir / "driver-first-input.bin"
        dummy.write_bytes(DRIVER_DUMMY_INPUT)
        cands = [Crash(dummy, self.ctx.target.prop, 0.0, 0)]
        cands += [Crash(p, self.ctx.target.prop, 0.0, 0) for p in sorted(self.in_dir.iterdir())]
        return cands

    def _log_text(self) -> str:
        log = self.ctx.run_dir / "afl-main.log"
        if not log.is_file():
            return ""  # the UI run writes no log
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\(B", "", log.read_text(errors="replace"))

    def _crashing_seed(self) -> Optional[Path]:
        """The -i input that the dry run of afl-fuzz found crashing:
        "Test case 'id:000003,time:0,execs:0,orig:NAME' results in a
        crash", NAME being the file pry staged."""
        m = re.search(r"Test case '[^']*orig:([^'/]+)' results in a crash", self._log_text())
        if m is None:
            return None
        path = self.in_dir / m.group(1)
        return path if path.is_file() else None

    def startup_error(self) -> Optional[str]:
        stop = self._start_stop()
        return stop[0] if stop is not None else None

    def _start_stop(self) -> Optional[tuple[str, bool]]:
        """Why afl-fuzz ended before its time was up, if it did, and
        whether an input it starts from may be the cause (crashes() then
        replays those inputs as the findings)."""
        for inst in self.instances:
            if inst.died is not None:
                return (f"afl-fuzz ({inst.name}) was ended by {signal.Signals(inst.died).name}, "
                        f"not by pry, before its time was up (see "
                        f"{self.ctx.project.rel(inst.log)})", False)
        log = self.ctx.project.rel(self.ctx.run_dir / "afl-main.log")
        text = self._log_text()
        m = re.search(r"PROGRAM ABORT : (.*)", text)
        if m is None:
            main = self.instances[0] if self.instances else None
            if main is not None and main.ui and (main.group.proc.returncode or 0) > 0:
                # The UI run writes no log: its screen said why.
                return (f"afl-fuzz exited with status {main.group.proc.returncode} "
                        "before its time was up (its screen is above)", True)
            return None
        reason = m.group(1).strip()
        if "does not crash" in reason:
            return "every input crashes the target at start-up", True
        if "AFL_EXIT_ON_SEED_ISSUES" in reason:
            if "results in a crash" in text:
                return ("an input it starts from, a seed or one kept from earlier runs, "
                        "crashes the target", True)
            return ("an input it starts from, a seed or one kept from earlier runs, "
                    f"times out (see {log})", False)
        return f"afl-fuzz stopped: {reason} (see {log})", False

    def new_corpus(self) -> list[Path]:
        return sorted(p for p in self.out_dir.glob("*/queue/id:*") if p.is_file())

    def minimise_corpus(self, corpus: Path) -> None:
        files = list(corpus.iterdir())
        if len(files) <= CMIN_THRESHOLD:
            return
        out = self.ctx.run_dir / "cmin"
        if out.exists():
            import shutil
            shutil.rmtree(out)
        r = run_quiet(["afl-cmin", "-i", str(corpus), "-o", str(out), "--", str(self.binary), "-"],
                      self.ctx.project.root, env=self._env(), timeout=600)
        kept = list(out.iterdir()) if out.is_dir() else []
        if r.returncode == 0 and kept:
            keep = {f.name for f in kept}
            for f in files:
                if f.name not in keep:
                    f.unlink()
