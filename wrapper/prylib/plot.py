"""./pry plot OUTDIR: PNGs of a campaign with gnuplot: coverage, corpus
size and execs/s over time, with the first finding marked. Reads AFL's
plot_data when it has enough rows (long runs), else the progress.csv that
pry writes for every engine once a second."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Optional

from .common import PryError, run

# name -> (AFL plot_data column, progress.csv column, y label); 1-based.
SERIES = {"coverage": (13, 5, "coverage (edges / cov)"),
          "corpus": (4, 4, "corpus inputs"),
          "execs_per_sec": (11, 3, "execs/s")}


def _rows(path: Path) -> int:
    return sum(1 for line in path.read_text(errors="replace").splitlines()
               if line and not line.startswith(("#", "seconds")))


def find_data(outdir: Path) -> tuple[Path, str]:
    """(file, 'afl' | 'csv'): the richest data under OUTDIR."""
    afl = sorted(outdir.glob("**/plot_data"))
    afl = [p for p in afl if _rows(p) >= 2]
    if afl:
        return afl[0], "afl"
    csvs = sorted(outdir.glob("**/progress.csv"))
    csvs = [p for p in csvs if _rows(p) >= 1]
    if csvs:
        return csvs[0], "csv"
    raise PryError(f"no plot_data or progress.csv under {outdir}: run ./pry fuzz first")


def first_finding(path: Path, kind: str) -> Optional[float]:
    """Seconds at which the findings count first went above zero."""
    t0 = None
    for line in path.read_text(errors="replace").splitlines():
        if not line or line.startswith(("#", "seconds")):
            continue
        cols = [c.strip() for c in line.split(",")]
        try:
            t = float(cols[0])
            found = int(float(cols[7] if kind == "afl" else cols[5]))
        except (ValueError, IndexError):
            continue
        if kind == "afl" and t0 is None:
            t0 = t if t > 1e9 else 0.0  # older AFL: absolute unix time
        if found > 0:
            return t - (t0 or 0.0)
    return None


def plot(outdir: Path) -> list[Path]:
    if not outdir.is_dir():
        raise PryError(f"{outdir} is not a directory")
    if shutil.which("gnuplot") is None:
        raise PryError("gnuplot is missing: sudo apt-get install -y gnuplot-nox")
    data, kind = find_data(outdir)
    found = first_finding(data, kind)
    pngs = []
    for name, (afl_col, csv_col, label) in SERIES.items():
        col = afl_col if kind == "afl" else csv_col
        png = outdir / f"{name}.png"
        ycol = f"(stringcolumn({col}) eq '' ? 0 : real(strcol({col})))" if name == "coverage" \
            else f"{col}"
        script = [
            "set terminal png size 900,420",
            f"set output '{png}'",
            "set datafile separator ','",
            "set xlabel 'seconds'",
            f"set ylabel '{label}'",
            "set grid",
            "set key off",
            f"set title '{name.replace('_', ' ')} ({data.parent.name})' noenhanced",
        ]
        if found is not None:
            script.append(f"set arrow from {found},graph 0 to {found},graph 1 nohead "
                          "lc rgb 'red' lw 2")
            script.append(f"set label 'first finding' at {found},graph 0.95 tc rgb 'red'")
        xcol = "($1)" if kind == "csv" else "($1)"
        script.append(f"plot '{data}' using {xcol}:{ycol} every ::1 with lines lw 2")
        r = run(["gnuplot"], input="\n".join(script) + "\n", text=True,
                capture_output=True)
        if r.returncode != 0 or not png.exists():
            raise PryError(f"gnuplot failed: {(r.stderr.strip().splitlines() or ['?'])[-1]}")
        pngs.append(png)
    return pngs
