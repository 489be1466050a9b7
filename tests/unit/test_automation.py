"""The schedule fires daily at 06:00 Bangkok time; the landing sensor starts a run for each new
or changed content and never twice for the same content; a failed run is recorded in
quality.pipeline_runs and sent to the webhook."""

import json
import shutil
import subprocess
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import dagster as dg
import duckdb
import pytest
from dagster._utils.schedules import cron_string_iterator

from expectations.quality_tables import PIPELINE_RUNS
from orchestration.automation import build_run_sensors, daily_run, landing_files
from orchestration.conclude import conclude_pipeline_run
from orchestration.definitions import defs
from orchestration.names import LAUNCHED_BY_TAG, MAKE_RUN, PIPELINE_RUN_TAG, SEVERITY_METADATA
from orchestration.resources import LandingResource
from serving.run_log import WEBHOOK_VARIABLE
from sources.settings import REPO_ROOT, SAMPLE_LANDING_DIR, Settings, load_settings
from tests.helpers import write_lock_held


def test_the_schedule_runs_the_pipeline_at_six_in_the_morning_bangkok_time():
    assert daily_run.job_name == "roijai_pipeline"
    start = datetime(2026, 11, 28, 12, 0, tzinfo=UTC).timestamp()
    ticks = cron_string_iterator(start, daily_run.cron_schedule, daily_run.execution_timezone)
    first, second = next(ticks), next(ticks)
    assert first.astimezone(UTC) == datetime(2026, 11, 28, 23, 0, tzinfo=UTC)  # 06:00 +07
    assert (second - first).total_seconds() == 24 * 3600
    context = dg.build_schedule_context(scheduled_execution_time=first)
    (request,) = daily_run.evaluate_tick(context).run_requests
    assert isinstance(request, dg.RunRequest)


class Sensor:
    """Evaluates the landing sensor the way the daemon does: the cursor carries over."""

    def __init__(self, landing_dir):
        self.landing = LandingResource(landing_dir=str(landing_dir), data_dir=str(landing_dir))
        self.cursor = None

    def tick(self):
        context = dg.build_sensor_context(cursor=self.cursor, resources={"landing": self.landing})
        result = landing_files.evaluate_tick(context)
        self.cursor = result.cursor
        return result


@pytest.fixture
def landing(tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE_LANDING_DIR / "register", landing / "register")
    return landing


def test_the_sensor_fires_once_per_new_content(landing):
    sensor = Sensor(landing)
    (first,) = sensor.tick().run_requests
    assert "register/" in first.tags["roijai/new_files"]

    again = sensor.tick()
    assert again.run_requests == [] and "no new or changed file" in again.skip_message

    (register,) = (landing / "register").iterdir()
    register.touch()  # saved again unchanged: same content, no run
    assert sensor.tick().run_requests == []

    plans = landing / "plans"
    plans.mkdir()
    new_file = plans / "แผน.csv"
    new_file.write_text("รหัสหมู่บ้าน,กิจกรรม\n50010101,ประชุม\n", encoding="utf-8")
    (second,) = sensor.tick().run_requests
    assert second.tags["roijai/new_files"] == "plans/แผน.csv"
    assert second.run_key != first.run_key

    new_file.write_text("รหัสหมู่บ้าน,กิจกรรม\n50010101,ประชุมใหม่\n", encoding="utf-8")
    (third,) = sensor.tick().run_requests  # changed content: a run
    assert third.run_key not in (first.run_key, second.run_key)
    assert sensor.tick().run_requests == []


def test_a_file_moved_back_in_with_content_already_seen_does_not_fire(landing, tmp_path):
    sensor = Sensor(landing)
    sensor.tick()
    (register,) = (landing / "register").iterdir()
    parked = shutil.move(register, tmp_path / register.name)
    shutil.move(parked, landing / "register" / "renamed.xlsx")
    assert sensor.tick().run_requests == []


def test_the_sensor_says_why_it_skips_an_empty_or_missing_landing_folder(tmp_path):
    missing = Sensor(tmp_path / "nowhere").tick()
    assert "does not exist" in missing.skip_message
    (tmp_path / "empty").mkdir()
    assert "has no files" in Sensor(tmp_path / "empty").tick().skip_message


class Webhook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        Webhook.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook(monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Webhook.received = []
    monkeypatch.setenv(WEBHOOK_VARIABLE, f"http://127.0.0.1:{server.server_port}/alert")
    yield Webhook.received
    server.shutdown()


def test_a_failed_run_is_recorded_and_sent_to_the_webhook(tmp_path, webhook):
    @dg.op
    def load_files():
        raise OSError("No space left on device")

    @dg.job(name="roijai_pipeline")
    def failing_pipeline():
        load_files()

    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", tmp_path / "landing")
    duckdb.connect(str(settings.duckdb_path)).close()
    with dg.DagsterInstance.ephemeral() as instance:
        result = failing_pipeline.execute_in_process(instance=instance, raise_on_error=False)
        decision = conclude_pipeline_run(
            instance, result.run_id, defs.resolve_asset_graph(), settings
        )
    assert not decision.publishable
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        rows = connection.execute(f"select run_id, status, message from {PIPELINE_RUNS}").fetchall()
    assert rows == [
        (result.run_id, "failure", "step load_files failed: OSError: No space left on device")
    ]
    (alert,) = webhook
    assert alert["run_id"] == result.run_id and alert["status"] == "failure"
    assert "No space left on device" in alert["text"]


def test_an_unreachable_webhook_does_not_break_the_run(monkeypatch):
    from serving.run_log import PipelineRun, alert

    monkeypatch.setenv(WEBHOOK_VARIABLE, "http://127.0.0.1:9/unreachable")
    run = PipelineRun("r", "roijai_pipeline", "failure", None, None, 0, 0, False, False, "boom")
    assert alert(run) is False


def tiny_pipeline(check_passes: bool) -> dg.Definitions:
    """A pipeline job with one asset and one error-severity check, named like the real one."""

    @dg.asset(name="mart_tiny")
    def mart_tiny():
        return 1

    @dg.asset_check(asset=mart_tiny, metadata={SEVERITY_METADATA: "error"})
    def tiny_target():
        return dg.AssetCheckResult(passed=check_passes, metadata={"failures": ["1 short"]})

    return dg.Definitions(
        assets=[mart_tiny],
        asset_checks=[tiny_target],
        jobs=[dg.define_asset_job("roijai_pipeline")],
    )


def evaluate_publish_sensor(tmp_path, monkeypatch, check_passes: bool, tags=None):
    monkeypatch.setenv("ROIJAI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ROIJAI_DUCKDB_PATH", raising=False)
    duckdb.connect(str(tmp_path / "warehouse.duckdb")).close()
    definitions = tiny_pipeline(check_passes)
    with dg.DagsterInstance.ephemeral() as instance:
        result = definitions.resolve_job_def("roijai_pipeline").execute_in_process(
            instance=instance, tags=tags or {}
        )
        context = dg.build_run_status_sensor_context(
            sensor_name="publish_after_pipeline",
            dagster_event=result.get_run_success_event(),
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(result.run_id),
            repository_def=definitions.get_repository_def(),
        )
        settings = load_settings()
        (publish_after_pipeline, _) = build_run_sensors(settings)
        return result.run_id, publish_after_pipeline(context)


def test_a_pipeline_run_whose_checks_pass_is_sent_to_publication(tmp_path, monkeypatch):
    run_id, request = evaluate_publish_sensor(tmp_path, monkeypatch, check_passes=True)
    assert isinstance(request, dg.RunRequest)
    assert request.tags[PIPELINE_RUN_TAG] == run_id
    assert build_run_sensors(load_settings())[0].job_name == "roijai_publish"
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as connection:
        assert connection.execute(
            f"select status, checks_failed_error from {PIPELINE_RUNS}"
        ).fetchall() == [("success", 0)]


def test_a_blocking_check_failure_is_not_published(tmp_path, monkeypatch):
    _, skip = evaluate_publish_sensor(tmp_path, monkeypatch, check_passes=False)
    assert isinstance(skip, dg.SkipReason)
    assert skip.skip_message == ("not published: 1 blocking check(s) failed: mart_tiny tiny_target")


def test_runs_of_make_run_are_left_to_make_run(tmp_path, monkeypatch):
    _, skip = evaluate_publish_sensor(
        tmp_path, monkeypatch, check_passes=True, tags={LAUNCHED_BY_TAG: MAKE_RUN}
    )
    assert isinstance(skip, dg.SkipReason) and "not concluded here" in skip.skip_message


def test_the_shipped_dagster_yaml_runs_one_run_at_a_time(tmp_path, monkeypatch):
    shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.get() as instance:
        assert instance.get_concurrency_config().run_queue_config.max_concurrent_runs == 1
        assert instance.get_settings("telemetry") == {"enabled": False}
        # the daemon fails runs whose process died: they would hold the one slot forever
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_start_timeout_seconds == 300
        assert instance.run_monitoring_max_runtime_seconds == 6 * 3600


def test_make_run_refuses_to_start_while_the_daemon_has_a_run_in_progress(
    tmp_path, monkeypatch, capsys
):
    from dagster._core.storage.dagster_run import DagsterRun

    from orchestration.run import main

    shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.setenv("ROIJAI_DATA_DIR", str(tmp_path / "data"))
    with dg.DagsterInstance.get() as instance:
        instance.add_run(
            DagsterRun(job_name="roijai_pipeline", run_id="r1", status=dg.DagsterRunStatus.STARTED)
        )
    assert main() == 3
    assert "run r1 (roijai_pipeline) is STARTED" in capsys.readouterr().err
    assert not (tmp_path / "data" / "warehouse.duckdb").exists()


def test_a_run_whose_checks_cannot_be_recorded_is_not_published_and_still_alerts(tmp_path, webhook):
    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", tmp_path / "landing")
    definitions = tiny_pipeline(check_passes=True)
    with write_lock_held(settings.duckdb_path), dg.DagsterInstance.ephemeral() as instance:
        result = definitions.resolve_job_def("roijai_pipeline").execute_in_process(
            instance=instance
        )
        decision = conclude_pipeline_run(
            instance, result.run_id, definitions.resolve_asset_graph(), settings
        )
    assert not decision.publishable
    assert decision.message.startswith("its checks could not be recorded in the warehouse")
    (alert,) = webhook
    assert alert["run_id"] == result.run_id


def test_a_run_make_run_left_unfinished_is_marked_failed_and_recorded(tmp_path, monkeypatch):
    """kill -9, out of memory, a power cut: the run stays STARTED in Dagster's storage. The
    next make run (holding make run's lock, so no other is alive) marks it failed, saying why,
    and records it in quality.pipeline_runs, instead of refusing to start forever."""
    from dagster._core.storage.dagster_run import DagsterRun

    from orchestration.run import ABANDONED, fail_abandoned_runs

    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", tmp_path / "landing")
    duckdb.connect(str(settings.duckdb_path)).close()
    with dg.DagsterInstance.ephemeral() as instance:
        for run_id, tags in (("killed", {LAUNCHED_BY_TAG: MAKE_RUN}), ("daemon", {})):
            instance.add_run(
                DagsterRun(
                    job_name="roijai_pipeline",
                    run_id=run_id,
                    status=dg.DagsterRunStatus.STARTED,
                    tags=tags,
                )
            )
        assert fail_abandoned_runs(instance, settings) == ["killed"]
        assert instance.get_run_by_id("killed").status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id("daemon").status == dg.DagsterRunStatus.STARTED
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        rows = connection.execute(f"select run_id, status, message from {PIPELINE_RUNS}").fetchall()
    assert rows == [("killed", "failure", ABANDONED)]


def test_a_second_make_run_started_while_one_runs_refuses_clearly(tmp_path, monkeypatch, capsys):
    from orchestration.run import main
    from orchestration.run_state import LOCK_FILE

    monkeypatch.setenv("ROIJAI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ROIJAI_DUCKDB_PATH", str(tmp_path / "data" / "warehouse.duckdb"))
    (tmp_path / "data").mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(tmp_path / "data" / LOCK_FILE)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert main() == 3
    finally:
        holder.kill()
        holder.wait()
    assert "another make run is running" in capsys.readouterr().err
    assert not (tmp_path / "data" / "warehouse.duckdb").exists()


LOCK_HOLDER = (
    "import fcntl, sys, time; handle = open(sys.argv[1], 'a'); "
    "fcntl.flock(handle, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(120)"
)


def test_a_run_of_make_run_never_recorded_is_recorded_by_the_next(tmp_path):
    """A full disk: the run failed, and its conclusion could not be written either. The next
    make run records it in quality.pipeline_runs (issue 13: it was left out for good)."""
    from dagster._core.storage.dagster_run import DagsterRun

    from orchestration.run import conclude_unrecorded_runs

    settings = Settings(tmp_path, tmp_path / "warehouse.duckdb", tmp_path / "landing")
    duckdb.connect(str(settings.duckdb_path)).close()
    with dg.DagsterInstance.ephemeral() as instance:
        instance.add_run(
            DagsterRun(
                job_name="roijai_pipeline",
                run_id="diskfull",
                status=dg.DagsterRunStatus.STARTED,
                tags={LAUNCHED_BY_TAG: MAKE_RUN},
            )
        )
        instance.report_run_failed(instance.get_run_by_id("diskfull"), message="No space left")
        assert conclude_unrecorded_runs(instance, settings) == ["diskfull"]
        assert conclude_unrecorded_runs(instance, settings) == []
    with duckdb.connect(str(settings.duckdb_path), read_only=True) as connection:
        rows = connection.execute(f"select run_id, status, message from {PIPELINE_RUNS}").fetchall()
    assert rows == [("diskfull", "failure", "No space left")]
