"""pry's random mode: the plain binary draws from a seeded PRNG, no fuzzer
at all. One property at a time (the runner's --json reports one finding).

With --time the campaign lasts that long on the wall clock: each property
gets an equal share of the time that is left, and when every property has
had its turn and time remains, another round starts (a new seed) over the
properties that have neither failed nor been found unhealthy (a turn lasts
at most MAX_SLICE, so that the execution count moves). Without
--time it goes round the properties in rounds of ROUND seconds until one
fails. A property the runner reports UNHEALTHY (too many discards) is not
run again; its message is the runner's own."""

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
MIN_SLICE = 0.2
# The longest turn with --time: the runner reports its count of runs when
# a turn ends, so longer turns would leave the status line at "execs 0"
# (./pry demo --deep runs random mode for 30 s in front of an audience).
MAX_SLICE = 5.0


class _Turn:
    """One run of the binary on one property."""

    def __init__(self, prop: str, group: ProcessGroup, js: Path, out: Path, offset: float,
                 execs_before: int):
        self.prop = prop
        self.group = group
        self.js = js
        self.out = out
        self.offset = offset              # seconds into the campaign it started
        self.execs_before = execs_before


class RandomEngine(Engine):
    name = "random"

    def __init__(self, ctx: EngineContext):
        super().__init__(ctx)
        self.queue: list[str] = []
        self.round = 0
        self.current: Optional[_Turn] = None
        self.done_execs = 0
        self.found: list[Crash] = []
        self.unhealthy: list[str] = []   # the runner's UNHEALTHY lines
        self.finished: set[str] = set()  # failed or unhealthy: not run again
        self.started = 0.0
        self.over = False

    def prepare(self) -> None:
        c = self.ctx
        self.binary = build.build(c.project, "plain", c.target.harness, c.plant)
        self.props = [c.target.prop] if c.target.prop else \
            [p for p in c.props if p not in c.skip]

    def _left(self) -> Optional[float]:
        if self.ctx.time_limit is None:
            return None
        return self.ctx.time_limit - (time.monotonic() - self.started)

    def start(self) -> None:
        fresh_dir(self.ctx.run_dir / "failures")
        self.started = time.monotonic()
        self._next()

    def _next(self) -> None:
        c = self.ctx
        left = self._left()
        if (c.stop_on_find and self.found) or (left is not None and left < MIN_SLICE / 2):
            self.over = True
            return
        if not self.queue:
            self.queue = [p for p in self.props if p not in self.finished]
            if not self.queue:
                self.over = True  # every property failed or is unhealthy
                return
            self.round += 1
        prop = self.queue.pop(0)
        # An equal share of what is left, so the campaign fills --time;
        # at most MAX_SLICE at a time (the properties take turns).
        seconds = ROUND if left is None else \
            max(MIN_SLICE, min(MAX_SLICE, left / (len(self.queue) + 1)))
        base = c.seed if c.seed is not None else int(time.time()) % 1000000000
        seed = base + self.round - 1  # round 1 runs --seed itself
        js = c.run_dir / f"random-{prop}.json"
        out = c.run_dir / f"random-{prop}.out"
        js.unlink(missing_ok=True)
        argv = [str(self.binary), "--test", prop, "--seed", str(seed), "--time",
                f"{seconds:.3f}", "--no-shrink", "--save-dir", str(c.run_dir / "failures"),
                "--json", str(js)]
        with open(out, "wb") as log:
            group = ProcessGroup(argv, c.env(), c.project.root, stdout=log, stderr=log)
        self.current = _Turn(prop, group, js, out, time.monotonic() - self.started,
                             self.done_execs)

    def _collect(self) -> None:
        turn = self.current
        assert turn is not None
        self.current = None
        text = turn.out.read_text(errors="replace") if turn.out.is_file() else ""
        with open(self.ctx.run_dir / "random.log", "a") as log:
            log.write(text)
        try:
            result = json.loads(turn.js.read_text())
        except (OSError, ValueError):
            return
        # "runs" counts every execution, discarded ones too.
        runs = int(result.get("runs", 0))
        self.done_execs = turn.execs_before + runs
        status = result.get("status")
        raw = result.get("raw") or ""
        if status in ("failed", "crashed") and raw and Path(raw).is_file():
            # When and after how many executions the runner met it, not
            # when pry noticed.
            self.found.append(Crash(Path(raw), turn.prop,
                                    turn.offset + float(result.get("seconds", 0.0)),
                                    self.done_execs))
            self.finished.add(turn.prop)
        elif status == "unhealthy":
            self.unhealthy += [ln for ln in text.splitlines() if ln.startswith("UNHEALTHY")]
            self.finished.add(turn.prop)

    def running(self) -> bool:
        if self.current is not None and not self.current.group.running():
            self._collect()
            self._next()
        return self.current is not None and not self.over

    def poll(self) -> Stats:
        s = Stats(execs=self.done_execs, findings=len(self.found))
        elapsed = time.monotonic() - self.started
        s.execs_per_sec = self.done_execs / elapsed if elapsed > 0 else 0.0
        return s

    def stop(self) -> None:
        if self.current is not None:
            self.current.group.stop()
            self._collect()
        self.over = True

    def crashes(self) -> list[Crash]:
        return list(self.found)
