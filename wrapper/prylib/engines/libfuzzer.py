"""libFuzzer (clang -fsanitize=fuzzer, with ASan and UBSan). Progress is
read from its stderr status lines (`#N NEW cov: ft: corp: exec/s:`); a
crash is the artifact it writes (crash-*, timeout-*, leak-*, oom-*).

libFuzzer stops at its first crash unless it runs in fork mode, so with
--time and --jobs N > 1 it runs -fork=N -ignore_crashes=1 and keeps going;
with one job it stops at the first crash either way."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from pathlib import Path
from typing import Optional

from .. import build
from ..common import ProcessGroup, run_quiet, sync_into
from ..progress import Stats
from . import Crash, Engine, EngineContext, collect_dicts, fresh_dir, stage_inputs

STATUS = re.compile(r"^#(\d+):?\s.*?cov: (\d+) ft: (\d+) corp: (\d+)")
EXECS_PER_SEC = re.compile(r"exec/s:? (\d+)")
ARTIFACT = re.compile(r"Test unit written to (\S+)")
MERGE_THRESHOLD = 2000


class LibFuzzerEngine(Engine):
    name = "libfuzzer"

    def __init__(self, ctx: EngineContext):
        super().__init__(ctx)
        self.work = ctx.run_dir / "corpus-work"
        self.artifacts = ctx.run_dir / "artifacts"
        self.log_path = ctx.run_dir / "libfuzzer.log"
        self.stats = Stats()
        self.found: dict[str, tuple[float, int]] = {}  # artifact -> (time, execs)
        self.lock = threading.Lock()
        self.group: Optional[ProcessGroup] = None
        self.reader: Optional[threading.Thread] = None
        self.resumed = 0
        self.started = 0.0

    def prepare(self) -> None:
        c = self.ctx
        self.binary = build.build(c.project, "libfuzzer", c.target.harness, c.plant)

    def _dict(self) -> Optional[Path]:
        """libFuzzer takes one -dict: concatenate ours into one file."""
        dicts = collect_dicts(self.ctx, None)
        if not dicts:
            return None
        merged = self.ctx.run_dir / "merged.dict"
        merged.write_text("\n".join(d.read_text(errors="replace") for d in dicts) + "\n")
        return merged

    def _argv(self) -> list[str]:
        c = self.ctx
        argv = [str(self.binary), str(self.work), f"-artifact_prefix={self.artifacts}/",
                "-print_final_stats=1", "-timeout=10"]
        d = self._dict()
        if d is not None:
            argv.append(f"-dict={d}")
        if c.time_limit is not None:
            argv.append(f"-max_total_time={max(1, int(c.time_limit))}")
        if c.seed is not None:
            argv.append(f"-seed={c.seed}")
        if c.jobs > 1:
            argv.append(f"-fork={c.jobs}")
            if not c.stop_on_find:
                argv += ["-ignore_crashes=1", "-ignore_timeouts=1", "-ignore_ooms=1"]
        return argv

    def start(self) -> None:
        c = self.ctx
        _, self.resumed = stage_inputs(c, self.work)
        fresh_dir(self.artifacts)
        self.started = time.monotonic()
        env = c.env()
        env["PRY_QUIET"] = "1"
        self.group = ProcessGroup(self._argv(), env, c.project.root,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.group is not None and self.group.proc.stderr is not None
        with open(self.log_path, "wb") as log:
            for raw in self.group.proc.stderr:
                log.write(raw)
                log.flush()
                self._parse(raw.decode(errors="replace"))

    def _parse(self, line: str) -> None:
        with self.lock:
            m = STATUS.match(line)
            if m:
                self.stats.execs = int(m.group(1))
                self.stats.coverage_value = float(m.group(2))
                self.stats.coverage = f"{m.group(2)} ft {m.group(3)}"
                self.stats.corpus = int(m.group(4))
                e = EXECS_PER_SEC.search(line)
                if e:
                    self.stats.execs_per_sec = float(e.group(1))
            a = ARTIFACT.search(line)
            if a:
                self.found[Path(a.group(1)).name] = (time.monotonic() - self.started,
                                                     self.stats.execs)

    def running(self) -> bool:
        return self.group is not None and self.group.running()

    def poll(self) -> Stats:
        with self.lock:
            s = Stats(**vars(self.stats))
        s.findings = len(self._artifacts())
        # The corpus shown is what the campaign will keep: the inputs in
        # libFuzzer's corpus folder (the seeds and resumed inputs it read
        # and every unit it wrote), not its in-memory "corp:" count, which
        # leaves out inputs that added no new features.
        s.corpus = self._corpus_files()
        return s

    def _corpus_files(self) -> int:
        try:
            return sum(1 for e in os.scandir(self.work) if e.is_file() and e.stat().st_size > 0)
        except OSError:
            return 0

    def stop(self) -> None:
        if self.group is not None:
            self.group.stop()
        if self.reader is not None:
            self.reader.join(timeout=5)

    def _artifacts(self) -> list[Path]:
        return sorted(p for pat in ("crash-*", "timeout-*", "leak-*", "oom-*")
                      for p in self.artifacts.glob(pat) if p.is_file())

    def crashes(self) -> list[Crash]:
        out = []
        for p in self._artifacts():
            t, n = self.found.get(p.name, (None, None))
            out.append(Crash(p, self.ctx.target.prop, t, n))
        return out

    def new_corpus(self) -> list[Path]:
        return sorted(p for p in self.work.iterdir() if p.is_file())

    def minimise_corpus(self, corpus: Path) -> None:
        files = list(corpus.iterdir())
        if len(files) <= MERGE_THRESHOLD:
            return
        merged = fresh_dir(self.ctx.run_dir / "merged")
        env = self.ctx.env()
        env["PRY_QUIET"] = "1"
        r = run_quiet([str(self.binary), "-merge=1", str(merged), str(corpus)],
                      self.ctx.project.root, env=env, timeout=600)
        kept = sorted(merged.iterdir())
        if r.returncode == 0 and kept:
            # libFuzzer names files by SHA-1: rename into ours (SHA-256).
            for f in files:
                f.unlink()
            sync_into(kept, corpus)
