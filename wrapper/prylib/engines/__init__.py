"""The engines behind `./pry fuzz`: AFL++, libFuzzer, and pry's own random
mode. Each one is driven the same way by the campaign (campaign.py):

    prepare() -> start() -> poll()... while running() -> stop()
    -> crashes(), new_corpus()

so progress, stopping, findings and resume are written once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..common import Project, Target
from ..progress import Stats


@dataclass
class Crash:
    """An input an engine saved as failing, not yet replayed."""
    path: Path
    prop: Optional[str]          # the property; None: the first byte chooses
    time_s: Optional[float] = None
    execs: Optional[int] = None


@dataclass
class EngineContext:
    project: Project
    target: Target
    plant: Optional[str]
    props: list[str]             # every property of the harness
    time_limit: Optional[float]  # None: until the first finding
    jobs: int
    seed: Optional[int]
    run_dir: Path                # pry-out/<h>/<p|all>/<engine>[+plant]/
    corpus_dir: Path             # colon-free corpus kept between runs
    seed_dirs: list[Path]
    stop_on_find: bool
    ui: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    # A whole harness: properties the first byte never picks (PRY_SKIP,
    # generators/run.c), its expected failures.
    skip: list[str] = field(default_factory=list)
    # Where the fuzz builds count how runs end (PRY_HEALTH, generators/health.h).
    health_file: Optional[Path] = None
    mutator: str = "bytes"       # typed: pry's draw-aware mutator (generators/mutate.c)
    mutator_chosen: bool = True  # False: the engine's default, which may fall back to bytes

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.extra_env)
        for var in ("PRY_TEST", "PRY_SKIP", "PRY_HEALTH"):
            env.pop(var, None)
        if self.target.prop:
            env["PRY_TEST"] = self.target.prop
        elif self.skip:
            env["PRY_SKIP"] = ",".join(self.skip)
        if self.health_file is not None:
            env["PRY_HEALTH"] = str(self.health_file)
        return env


class Engine:
    name = "?"

    def __init__(self, ctx: EngineContext):
        self.ctx = ctx

    def prepare(self) -> None:
        """Build and check everything; raise PryError on a problem."""

    def start(self) -> None:
        raise NotImplementedError

    def poll(self) -> Stats:
        raise NotImplementedError

    def running(self) -> bool:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def crashes(self) -> list[Crash]:
        return []

    def new_corpus(self) -> list[Path]:
        return []

    def startup_error(self) -> Optional[str]:
        """Why the engine gave up before fuzzing, if it did."""
        return None

    def minimise_corpus(self, corpus: Path) -> None:
        """Shrink a corpus folder that grew past the threshold (optional)."""


def make_engine(name: str, ctx: EngineContext) -> Engine:
    if name == "afl":
        from .afl import AflEngine
        return AflEngine(ctx)
    if name == "libfuzzer":
        from .libfuzzer import LibFuzzerEngine
        return LibFuzzerEngine(ctx)
    from .random import RandomEngine
    return RandomEngine(ctx)


def fresh_dir(path: Path) -> Path:
    import shutil
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def collect_dicts(ctx: EngineContext, autodict: Optional[Path]) -> list[Path]:
    """Dictionaries for the engines: the compiler's autodict and the
    committed corpora/<h>/*.dict (and corpora/<h>/<p>/*.dict)."""
    out = []
    if autodict is not None and autodict.is_file() and autodict.stat().st_size > 0:
        out.append(autodict)
    base = ctx.project.root / "corpora" / ctx.target.harness
    out += sorted(base.glob("*.dict"))
    if ctx.target.prop:
        out += sorted((base / ctx.target.prop).glob("*.dict"))
    return out


def stage_inputs(ctx: EngineContext, dest: Path) -> tuple[int, int]:
    """Fill |dest| with the committed seeds and the corpus of earlier runs
    (never empty: one minimal input if there is nothing). Returns (seeds,
    resumed corpus inputs). Each file is named by the SHA-1 of its content,
    as libFuzzer names the units it writes: an input staged twice, or
    written again by libFuzzer, is one file, so the corpus pry shows live
    is the corpus it keeps."""
    import hashlib
    fresh_dir(dest)

    def put(data: bytes) -> None:
        (dest / hashlib.sha1(data).hexdigest()).write_bytes(data)

    n_seeds = n_corpus = 0
    for d in ctx.seed_dirs:
        for f in sorted(d.iterdir()):
            if f.is_file() and f.stat().st_size > 0:
                put(f.read_bytes())
                n_seeds += 1
    if ctx.corpus_dir.is_dir():
        for f in sorted(ctx.corpus_dir.iterdir()):
            if f.is_file() and f.stat().st_size > 0:
                put(f.read_bytes())
                n_corpus += 1
    if n_seeds + n_corpus == 0:
        put(b"\0")  # all-zero choices are every generator's minimal value
    return n_seeds, n_corpus
