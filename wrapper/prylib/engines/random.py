"""pry's random mode: the plain binary draws from a seeded PRNG, no fuzzer
at all. One property at a time (the runner's --json reports one finding),
sharing --time between them; without --time it goes round the properties
in rounds of ROUND seconds until something fails."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

from .. import build
from ..common import ProcessGroup
from ..progress import Stats
from . import Crash, Engine, EngineContext, fresh_dir

ROUND = 10.0
MANY_RUNS = str(10 ** 15)  # the runs bound never stops us: --time does


class RandomEngine(Engine):
    name = "random"

    def __init__(self, ctx: EngineContext):
        super().__init__(ctx)
        self.queue: list[str] = []
        self.round = 0
        self.current: Optional[tuple[str, ProcessGroup, Path, float]] = None
        self.done_execs = 0
        self.found: list[Crash] = []
        self.unhealthy: list[str] = []
        self.started = 0.0
        self.over = False

    def prepare(self) -> None:
        c = self.ctx
        self.binary = build.build(c.project, "plain", c.target.harness, c.plant)
        self.props = [c.target.prop] if c.target.prop else list(c.props)

    def _slice(self) -> float:
        c = self.ctx
        if c.time_limit is None:
            return ROUND
        return max(0.5, c.time_limit / len(self.props))

    def start(self) -> None:
        fresh_dir(self.ctx.run_dir / "failures")
        self.started = time.monotonic()
        self.queue = list(self.props)
        self._next()

    def _next(self) -> None:
        c = self.ctx
        if not self.queue:
            if c.time_limit is not None or (c.stop_on_find and self.found):
                self.over = True
                return
            self.round += 1
            self.queue = list(self.props)
        prop = self.queue.pop(0)
        seed = (c.seed if c.seed is not None else int(time.time()) % 1000000000) + self.round
        js = c.run_dir / f"random-{prop}.json"
        js.unlink(missing_ok=True)
        argv = [str(self.binary), "--test", prop, "--seed", str(seed), "--time",
                f"{self._slice():g}", "--runs", MANY_RUNS, "--no-shrink", "--save-dir",
                str(c.run_dir / "failures"), "--json", str(js)]
        log = open(c.run_dir / "random.log", "ab")
        group = ProcessGroup(argv, c.env(), c.project.root, stdout=log, stderr=log)
        log.close()
        self.current = (prop, group, js, time.monotonic())

    def _collect(self) -> None:
        assert self.current is not None
        prop, _, js, _ = self.current
        self.current = None
        try:
            result = json.loads(js.read_text())
        except (OSError, ValueError):
            return
        self.done_execs += int(result.get("runs", 0))
        status = result.get("status")
        raw = result.get("raw") or ""
        if status in ("failed", "crashed") and raw and Path(raw).is_file():
            self.found.append(Crash(Path(raw), prop, time.monotonic() - self.started,
                                    self.done_execs))
        elif status == "unhealthy":
            self.unhealthy.append(prop)

    def running(self) -> bool:
        if self.current is not None and not self.current[1].running():
            self._collect()
            if not (self.ctx.stop_on_find and self.found):
                self._next()
            else:
                self.over = True
        return self.current is not None and not self.over

    def poll(self) -> Stats:
        s = Stats(execs=self.done_execs, findings=len(self.found))
        elapsed = time.monotonic() - self.started
        s.execs_per_sec = self.done_execs / elapsed if elapsed > 0 else 0.0
        return s

    def stop(self) -> None:
        if self.current is not None:
            self.current[1].stop()
            self._collect()
        self.over = True

    def crashes(self) -> list[Crash]:
        return list(self.found)
