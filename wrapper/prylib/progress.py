"""The live status line. On a terminal it is redrawn in place at least once
a second; into a pipe or a log it is a plain line every few seconds, so CI
logs stay readable. Every sample is also kept as CSV for `./pry plot`."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, TextIO

CSV_HEADER = "seconds,execs,execs_per_sec,corpus,coverage,findings\n"
PLAIN_EVERY = 5.0


@dataclass
class Stats:
    execs: int = 0
    execs_per_sec: float = 0.0
    corpus: int = 0
    coverage: str = ""          # "50 edges (6.23%)", "cov 31 ft 40", ...
    coverage_value: float = 0.0  # the number plotted
    findings: int = 0


def human(n: float) -> str:
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= div:
            return f"{n / div:.1f}{unit}"
    return f"{int(n)}"


def format_line(elapsed: float, s: Stats) -> str:
    parts = [f"{elapsed:6.1f}s", f"execs {human(s.execs)}", f"{human(s.execs_per_sec)}/s",
             f"corpus {s.corpus}"]
    if s.coverage:
        parts.append(f"cov {s.coverage}")
    parts.append(f"findings {s.findings}")
    return "  ".join(parts)


class Progress:
    """mode: 'live' (redraw in place), 'plain' (a line every few seconds) or
    'silent' (CSV only: ci runs several campaigns at once)."""

    def __init__(self, mode: str, csv_path: Optional[Path], stream: TextIO = sys.stdout,
                 prefix: str = ""):
        self.mode = mode
        self.stream = stream
        self.prefix = prefix
        self.start = time.monotonic()
        self.last_print = -1e9
        self.last_csv = -1e9
        self.drawn = False
        self.csv = None
        if csv_path is not None:
            csv_path.parent.mkdir(parents=True, exist_ok=True)
            self.csv = open(csv_path, "w")
            self.csv.write(CSV_HEADER)

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def update(self, s: Stats, force: bool = False) -> None:
        now = self.elapsed()
        if self.csv is not None and (now - self.last_csv >= 1.0 or force):
            self.csv.write(f"{now:.2f},{s.execs},{s.execs_per_sec:.1f},{s.corpus},"
                           f"{s.coverage_value},{s.findings}\n")
            self.csv.flush()
            self.last_csv = now
        line = self.prefix + format_line(now, s)
        if self.mode == "live":
            self.stream.write("\r\033[K" + line)
            self.stream.flush()
            self.drawn = True
        elif self.mode == "plain" and (now - self.last_print >= PLAIN_EVERY or force):
            self.stream.write(line + "\n")
            self.stream.flush()
            self.last_print = now

    def finish(self) -> None:
        """End the live line so what follows starts on a fresh line."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
        if self.csv is not None:
            self.csv.close()
            self.csv = None
