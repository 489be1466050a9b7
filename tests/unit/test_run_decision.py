"""The run's decision, the one place that says whether a run may be published and why: an
error about the warehouse's numbers blocks publication, an error about what is missing
publishes what passed and fails the run, warnings alone leave it green, and a run without
check results or with a failed step is never publishable."""

import dataclasses

from expectations.results import NOT_RUN, CheckRecord
from serving.run_decision import decide

PASSED = CheckRecord("row_count", "raw/register_villages", "great_expectations", "error", True)
BLOCKING = CheckRecord("phase_targets_met", "mart_phase", "dbt", "error", False)
MISSING = CheckRecord(
    "survey_rounds_received", "mart_reporting_completeness", "great_expectations", "error",
    False, blocks_publication=False,
)  # fmt: skip
WARNED = CheckRecord("orphan_rows_counted", "raw/survey_members", "great_expectations", "warn",
                     False)  # fmt: skip
NOT_RUN_CHECK = CheckRecord("mart_is_fresh", "mart_village", "dbt", "error", None, details=NOT_RUN)


def test_checks_that_pass_or_only_warn_give_a_green_publishable_run():
    decision = decide([PASSED, WARNED, NOT_RUN_CHECK])
    assert decision.publishable and decision.green
    assert decision.message == "all checks of severity error passed"
    assert (decision.checks_failed_error, decision.checks_failed_warn) == (0, 1)


def test_a_blocking_failure_stops_publication_and_is_named():
    decision = decide([BLOCKING, MISSING, PASSED])
    assert not decision.publishable and not decision.green
    assert decision.message.startswith("1 blocking check(s) failed: ")
    assert "mart_phase phase_targets_met" in decision.message
    assert decision.verdict.startswith("nothing is published from this run: 1 blocking")
    assert decision.checks_failed_error == 2


def test_what_is_missing_publishes_what_passed_and_fails_the_run():
    decision = decide([MISSING, PASSED])
    assert decision.publishable and not decision.green
    assert "what passed is published" in decision.message
    assert "survey_rounds_received" in decision.message


def test_a_run_without_check_results_is_never_publishable():
    decision = decide([])
    assert not decision.publishable and not decision.green
    assert decision.message == "no check results were recorded for this run"


def test_a_failed_step_or_unrecorded_checks_are_never_publishable_and_say_why():
    failed = decide([PASSED], step_failure="step dbt_build failed: disk full")
    assert not failed.succeeded and not failed.publishable
    assert failed.message == "step dbt_build failed: disk full"
    unrecorded = decide([], unrecorded="Could not set lock on file")
    assert unrecorded.succeeded and not unrecorded.publishable
    assert unrecorded.message.startswith("its checks could not be recorded in the warehouse")


def test_the_message_names_only_the_first_failures():
    many = [dataclasses.replace(BLOCKING, check_name=f"check_{n}") for n in range(8)]
    message = decide(many).message
    assert message.startswith("8 blocking check(s) failed")
    assert "check_4" in message and "check_5" not in message
