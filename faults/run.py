"""`make faults`: kill -9, a full disk and two runs at once, on copies of the shipped sample.

1. Two runs started together on a fresh Dagster home and data folder: one runs, the other
   refuses (exit 3). The one that ran is the reference: its published tables are hashed.
   Again on the now initialised home: one rebuilds, identical to the reference.
2. Kill trials (seeded): a run is started with the reference's publication in place and its
   process is killed with SIGKILL after a random delay into ingest, dbt or publication. Its
   dbt must die with it, the publication and the lock must stay good; then a plain run must
   succeed with no manual step and publish exactly the reference.
3. Disk full (tmpfs mounts, so root): the data folder's filesystem is filled when ingest or
   dbt starts, the publication's when dbt ends. The run must fail and say so, keep the last
   publication, be recorded as failed; the next run, with the space back, must succeed.

After every trial: raw tables per source file and the ledger as the reference's (nothing
lost, nothing loaded twice), no Dagster run left active, every pipeline run Dagster ended is
in quality.pipeline_runs with the same outcome, the manifest's run recorded as published.
Prints one line per trial and a summary; exits 1 on any problem.
"""

import argparse
import errno
import random
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from faults import state
from faults.pipeline import REFUSED, Pipeline, Sandbox
from serving.publication import PublicationError
from sources.settings import SAMPLE_LANDING_DIR

KILL_PHASES = ("ingest", "dbt", "publication")
KILL_WITHIN_SECONDS = {"ingest": 5.0, "dbt": 25.0, "publication": 1.0}  # after the marker
# (phase, marker that starts it, the filesystem filled: "data" or "published")
DISK_CASES = (
    ("ingest", "ingest", "data"),
    ("dbt", "dbt", "data"),
    ("publication", "conclude", "published"),
)
DATA_DISK = "512m"
PUBLISHED_DISK = "64m"
REFUSAL = "another make run is running"

_print_lock = threading.Lock()


@dataclass
class Reference:
    hashes: dict[str, str]
    raw: dict


@dataclass
class Trial:
    kind: str
    name: str
    detail: str = ""
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        verdict = "OK" if not self.problems else "FAIL: " + "; ".join(self.problems)
        return f"{self.kind:<10} {self.name:<12} {self.detail:<44} {verdict}"


def report(trial: Trial) -> Trial:
    with _print_lock:
        print(trial.line(), flush=True)
    return trial


def check_publication(
    sandbox: Sandbox, expected: dict[str, str], when: str, killed: bool = False
) -> list[str]:
    """The publication is whole and as expected; its temporary files are gone, unless the run
    was killed while building them (the next publication removes them, readers never see
    them)."""
    try:
        hashes = state.published_hashes(sandbox.published)
    except (PublicationError, OSError, ValueError) as error:
        return [f"{when}: the publication is not whole ({error})"]
    except Exception as error:  # duckdb cannot open it: the worst case, say it
        return [f"{when}: the publication cannot be read ({type(error).__name__}: {error})"]
    changed = sorted(
        table
        for table in expected.keys() | hashes.keys()
        if expected.get(table) != hashes.get(table)
    )
    leftovers = list(sandbox.published.rglob("*.publishing*"))
    problems = [f"{when}: published tables differ from the reference: {changed}"] if changed else []
    if leftovers and not killed:
        problems.append(f"{when}: temporary publication files left: {leftovers}")
    return problems


def check_state(sandbox: Sandbox, reference: Reference) -> list[str]:
    """What must hold after every run has ended: see the module's docstring."""
    problems = []
    if not state.lock_is_free(sandbox.data / ".make_run.lock"):
        problems.append("make run's lock is still held")
    runs = state.dagster_runs(sandbox.home)
    active = [run_id[:8] for run_id, (_, status) in runs.items() if status in state.ACTIVE]
    if active:
        problems.append(f"Dagster runs left active: {active}")
    raw = state.raw_counts(sandbox.warehouse)
    if raw != reference.raw:
        differ = sorted(
            k for k in raw.keys() | reference.raw.keys() if raw.get(k) != reference.raw.get(k)
        )
        problems.append(
            f"raw tables or ledger differ from the reference (lost or doubled): {differ}"
        )
    recorded = state.pipeline_runs(sandbox.warehouse)
    for run_id, (job, status) in runs.items():
        if job != "roijai_pipeline" or status not in ("SUCCESS", "FAILURE"):
            continue
        outcome = "success" if status == "SUCCESS" else "failure"
        if run_id not in recorded:
            problems.append(f"run {run_id[:8]} ({status}) is not in quality.pipeline_runs")
        elif recorded[run_id][0] != outcome:
            problems.append(f"run {run_id[:8]} is {status} but recorded {recorded[run_id][0]}")
    manifest = state.manifest(sandbox.published)
    if manifest and recorded.get(manifest["pipeline_run_id"], (None, False))[1] is not True:
        problems.append(
            f"the published run {manifest['pipeline_run_id'][:8]} is not recorded as published"
        )
    return problems


def plain_run(sandbox: Sandbox, log: Path, reference: Reference) -> list[str]:
    """A plain run must succeed, publish, and leave everything as the reference."""
    run = Pipeline(sandbox, log)
    code = run.finish()
    if code != 0 or "Published:" not in run.output:
        return [f"the next plain run exited {code} without publishing (see {log})"]
    return check_publication(sandbox, reference.hashes, "after the next run") + check_state(
        sandbox, reference
    )


def concurrent_runs(sandbox: Sandbox, logs: Path, name: str) -> tuple[Trial, Pipeline | None]:
    runs = [Pipeline(sandbox, logs / f"{name}-{n}.log") for n in (1, 2)]
    codes = [run.finish() for run in runs]
    trial = Trial("concurrent", name, f"exit codes {codes}")
    winners = [run for run, code in zip(runs, codes, strict=True) if code == 0]
    refused = [run for run, code in zip(runs, codes, strict=True) if code == REFUSED]
    if len(winners) != 1 or len(refused) != 1:
        trial.problems.append(f"not one run and one refusal (see {logs}/{name}-*.log)")
    elif REFUSAL not in refused[0].output:
        trial.problems.append("the refused run does not say why")
    return trial, winners[0] if len(winners) == 1 else None


def kill_trial(
    number: int,
    seed: int,
    root: Path,
    landing: Path,
    as_of: str,
    reference: Reference,
    reference_published: Path,
) -> Trial:
    rng = random.Random(seed)
    phase = KILL_PHASES[number % len(KILL_PHASES)]
    delay = rng.uniform(0, KILL_WITHIN_SECONDS[phase])
    sandbox = Sandbox(root / f"kill-{number}", landing, as_of).create()
    shutil.copytree(reference_published, sandbox.published)
    logs = root / "logs"
    victim = Pipeline(sandbox, logs / f"kill-{number}-victim.log")
    trial = Trial("kill", f"#{number} seed={seed}", f"{phase} +{delay:.1f}s")
    if victim.wait_for(phase):
        time.sleep(delay)
    building = bool(list(sandbox.published.rglob("*.publishing*")))
    ended = victim.process.poll() is not None
    survivors = victim.kill_main()
    hit = "run had ended" if ended else victim.phase + (" (building)" if building else "")
    trial.detail += f" hit {hit}"
    if ended:  # a kill elsewhere than aimed at is still a kill: the line says where it hit
        trial.problems.append(f"the run ended before the kill (see {victim.log})")
    if survivors:
        trial.problems.append(f"processes outlived the killed run: {survivors}")
    trial.problems += check_publication(sandbox, reference.hashes, "after the kill", killed=True)
    if not state.lock_is_free(sandbox.data / ".make_run.lock"):
        trial.problems.append("the lock is held after the kill")
    trial.problems += plain_run(sandbox, logs / f"kill-{number}-next.log", reference)
    return report(trial)


def fill(folder: Path) -> Path:
    """Write a file until the filesystem has no space left."""
    filler = folder / ".faults-filler"
    with filler.open("wb", buffering=0) as handle:
        for chunk in (b"\0" * (1 << 20), b"\0" * 4096):
            try:
                while handle.write(chunk):
                    pass
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    return filler


def mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        check=True,
        capture_output=True,
    )


def unmount_all(root: Path) -> None:
    """Unmount what a previous harness left mounted under root, the innermost first."""
    mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    for point in sorted((m for m in mounts if m.startswith(f"{root}/")), reverse=True):
        subprocess.run(["umount", point], check=True)


def disk_trials(
    root: Path, landing: Path, as_of: str, reference: Reference, reference_published: Path
) -> list[Trial]:
    sandbox = Sandbox(root / "disk", landing, as_of)
    try:
        mount_tmpfs(sandbox.data, DATA_DISK)
        mount_tmpfs(sandbox.published, PUBLISHED_DISK)
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        reason = getattr(error, "stderr", b"") or str(error)
        return [report(Trial("disk-full", "all", f"SKIPPED: cannot mount a tmpfs: {reason!s:.80}"))]
    sandbox.create()
    shutil.copytree(reference_published, sandbox.published, dirs_exist_ok=True)
    logs = root / "logs"
    trials = []
    try:
        for phase, marker, disk in DISK_CASES:
            run = Pipeline(sandbox, logs / f"disk-{phase}.log")
            trial = Trial("disk-full", phase, f"{disk} filled at {marker}")
            filler = (
                fill(sandbox.data if disk == "data" else sandbox.published)
                if run.wait_for(marker)
                else None
            )
            code = run.finish()
            if filler:
                filler.unlink()
            trial.detail += f", failed in {run.phase}, exit {code}"
            if filler is None:
                trial.problems.append(f"the run never reached {marker} (see {run.log})")
            if code == 0 or "Published:" in run.output:
                trial.problems.append(f"the run claims success on a full disk (see {run.log})")
            if run.phase != phase:
                trial.problems.append(f"the run did not fail in {phase} (see {run.log})")
            trial.problems += check_publication(sandbox, reference.hashes, "after the full disk")
            trial.problems += plain_run(sandbox, logs / f"disk-{phase}-next.log", reference)
            trials.append(report(trial))
    finally:
        unmount_all(sandbox.root)
    return trials


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10, help="kill trials (default 10)")
    parser.add_argument("--seed", type=int, help="the first kill trial's seed (default random)")
    parser.add_argument("--jobs", type=int, default=2, help="trials run at once (default 2)")
    parser.add_argument("--no-disk", action="store_true", help="skip the disk-full trials")
    parser.add_argument("--work", type=Path, default=Path("/tmp/roijai-faults"))
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    started = time.monotonic()
    root = args.work.resolve()
    if root.exists():
        unmount_all(root)
        shutil.rmtree(root)
    landing = root / "landing"
    shutil.copytree(SAMPLE_LANDING_DIR, landing)
    as_of = date.today().isoformat()
    print(
        f"make faults: work folder {root}, first seed {seed}, evaluation date {as_of}", flush=True
    )

    trials = []
    sandbox = Sandbox(root / "reference", landing, as_of).create()
    trial, winner = concurrent_runs(sandbox, root / "logs", "fresh-home")
    if winner is None or "Published:" not in winner.output:
        trial.problems.append("no reference publication: stopping")
        report(trial)
        return 1
    reference = Reference(
        state.published_hashes(sandbox.published), state.raw_counts(sandbox.warehouse)
    )
    trial.problems += check_state(sandbox, reference)
    trials.append(report(trial))
    trial, _ = concurrent_runs(sandbox, root / "logs", "initialised")
    trial.problems += check_publication(sandbox, reference.hashes, "after the rebuild")
    trial.problems += check_state(sandbox, reference)
    trials.append(report(trial))

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [
            pool.submit(kill_trial, n, seed + n, root, landing, as_of, reference, sandbox.published)
            for n in range(args.trials)
        ]
        if not args.no_disk:
            disk = pool.submit(disk_trials, root, landing, as_of, reference, sandbox.published)
        trials += [future.result() for future in futures]
        if not args.no_disk:
            trials += disk.result()

    failed = [trial for trial in trials if trial.problems]
    hits = sorted({t.detail.split(" hit ")[-1].split(" (")[0] for t in trials if t.kind == "kill"})
    minutes = (time.monotonic() - started) / 60
    print(
        f"\n{len(trials)} trials in {minutes:.1f} min (first seed {seed}; kills hit "
        f"{', '.join(hits)}): {len(trials) - len(failed)} OK, {len(failed)} FAILED"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
