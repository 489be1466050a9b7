"""The cost curve: time and peak memory against households, from the results the scale
benchmark wrote (docs/benchmarks/households.json), as docs/benchmarks/cost_curve.png.
Usage: ``python -m bench.plot`` after ``python -m bench.run households_10m``."""

from __future__ import annotations

import json
import sys

from matplotlib.figure import Figure  # no pyplot: a file is drawn, no display is needed

from bench.scale_cases import RESULTS

CURVE = RESULTS.with_name("cost_curve.png")


def main() -> int:
    if not RESULTS.exists():
        print(f"no results in {RESULTS}: run python -m bench.run households_10m", file=sys.stderr)
        return 2
    points = [r for r in json.loads(RESULTS.read_text()) if r["case"].startswith("households_")]
    households = [p["households"] for p in points]
    figure = Figure(figsize=(11, 4.2))
    times, memory = figure.subplots(1, 2)
    for label, values in (
        ("ingest", [p["stages"]["ingest"] for p in points]),
        ("dbt build", [p["stages"]["dbt"] for p in points]),
        ("whole run", [p["seconds"] for p in points]),
        ("DuckDB read_csv alone", [p["baseline_seconds"] for p in points]),
    ):
        times.plot(households, [v / 60 for v in values], marker="o", label=label)
    times.set(xscale="log", xlabel="households (with their members)", ylabel="minutes")
    times.set_title("Time")
    times.legend()
    memory.plot(households, [p["peak_mb"] / 1024 for p in points], marker="o", label="whole run")
    memory.axhline(4, color="grey", linestyle="--", label="4 GB goal")
    memory.set(xscale="log", xlabel="households (with their members)", ylabel="GB")
    memory.set_title("Peak memory of the process tree")
    memory.legend()
    for axes in (times, memory):
        axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(CURVE, dpi=110)
    print(CURVE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
