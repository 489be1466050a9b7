"""make run's pipeline (python -m orchestration.run) as a real process in its own process group,
in a sandbox of its own (data folder, Dagster home, the sample's landing copy), with the phase
it has reached read from its output as it runs."""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sources.settings import REPO_ROOT

RUN_TIMEOUT_SECONDS = 600  # a run of the sample takes about two minutes
REFUSED = 3  # make run's exit code when another one holds the lock
KEY = "faults-key-not-a-secret"  # the sample is synthetic: any fixed key
# The first output line of each phase, in the order they come.
PHASE_MARKERS = {
    "ingest": re.compile(r" - ingest_\w+ - "),
    "dbt": re.compile(r"Running dbt command"),
    "conclude": re.compile(r"Finished dbt command: `\S+ test "),  # after dbt test
    "publication": re.compile(r" - roijai_publish - "),
}


@dataclass(frozen=True)
class Sandbox:
    root: Path
    landing: Path
    as_of: str  # one evaluation date for every run, so every run judges the same day

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def published(self) -> Path:
        return self.data / "published"

    @property
    def warehouse(self) -> Path:
        return self.data / "warehouse.duckdb"

    def create(self) -> "Sandbox":
        """A fresh data folder and a Dagster home with dagster.yaml but no storage yet."""
        self.data.mkdir(parents=True, exist_ok=True)
        self.home.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", self.home / "dagster.yaml")
        return self

    def environment(self) -> dict[str, str]:
        env = dict(
            os.environ,
            ROIJAI_DATA_DIR=str(self.data),
            ROIJAI_LANDING_DIR=str(self.landing),
            ROIJAI_PSEUDONYM_KEY=KEY,
            ROIJAI_SETTLE_SECONDS="0",
            ROIJAI_AS_OF=self.as_of,
            DAGSTER_HOME=str(self.home),
            DAGSTER_DISABLE_TELEMETRY="1",
            GX_ANALYTICS_ENABLED="False",
            DBT_SEND_ANONYMOUS_USAGE_STATS="False",
        )
        for variable in ("ROIJAI_DUCKDB_PATH", "ROIJAI_ALERT_WEBHOOK_URL"):
            env.pop(variable, None)
        return env


class Pipeline:
    """One run, started at once; its output goes to `log` and is scanned for phase markers."""

    def __init__(self, sandbox: Sandbox, log: Path):
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log
        self.phases: dict[str, float] = {}  # phase -> when its marker was seen
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "orchestration.run"],
            cwd=REPO_ROOT,
            env=sandbox.environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,  # its own process group: pgid == pid
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with self.log.open("w", encoding="utf-8") as out:
            for line in self.process.stdout:
                out.write(line)
                self.lines.append(line)
                for phase, marker in PHASE_MARKERS.items():
                    if phase not in self.phases and marker.search(line):
                        self.phases[phase] = time.monotonic()

    @property
    def phase(self) -> str:
        """The last phase whose marker has been seen."""
        return max(self.phases, key=self.phases.get) if self.phases else "start"

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, phase: str, timeout: float = RUN_TIMEOUT_SECONDS) -> bool:
        """Until the phase is reached (True) or the process has ended (False)."""
        deadline = time.monotonic() + timeout
        while phase not in self.phases:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self._reader.join(timeout=5)
                return phase in self.phases
            time.sleep(0.01)
        return True

    def finish(self, timeout: float = RUN_TIMEOUT_SECONDS) -> int | None:
        """The exit code; None when the run did not end in time (its group is then killed)."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_group()
            self.process.wait()
            code = None
        self._reader.join(timeout=10)
        return code

    def kill_main(self) -> list[str]:
        """SIGKILL the pipeline process alone, as an out-of-memory kill does; returns the
        processes of its group still alive a few seconds later (dbt must die with it), after
        killing them too."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 5
        while (survivors := group_members(self.process.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.kill_group()
        self._reader.join(timeout=10)
        return survivors

    def kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError):  # the whole group has ended
            os.killpg(self.process.pid, signal.SIGKILL)


def group_members(pgid: int) -> list[str]:
    """The live processes of a process group, as "pid command"."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        command, fields = text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1]
        state, _, group = fields.split()[:3]
        if int(group) == pgid and state != "Z":
            members.append(f"{stat.parent.name} {command}")
    return members
