"""The end of a run and what it serves: the decision whether a run may be published
(run_decision), its record in the run log and the alert (run_log), and the publication
analysts and BI tools read (publication). Pure Python, no Dagster."""
