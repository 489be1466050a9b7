"""The names the Dagster wiring shares: jobs, run tags and the metadata keys of check specs."""

PIPELINE_JOB = "roijai_pipeline"
PUBLISH_JOB = "roijai_publish"
PUBLISHED_ASSET = "published"  # the DuckDB file and Parquet: what the publish job runs first
POSTGRES_PUBLISHED_ASSET = "published_postgres"  # its copy in PostgreSQL, when configured
COMMITTEE_REPORT_ASSET = "committee_report"  # the committee's report, from each publication

PIPELINE_RUN_TAG = "roijai/pipeline_run_id"  # on a publish run: the pipeline run it publishes
LAUNCHED_BY_TAG = "roijai/launched_by"
MAKE_RUN = "make run"  # the value of LAUNCHED_BY_TAG on runs make run concludes itself

SEVERITY_METADATA = "roijai/severity"  # error or warn, on every check spec (dbt tests too)
# false on an error about what is missing: the run fails, what passed is still published
BLOCKS_PUBLICATION_METADATA = "roijai/blocks_publication"
DBT_UNIQUE_ID = "dagster_dbt/unique_id"  # dagster-dbt's key for the dbt test behind a check
