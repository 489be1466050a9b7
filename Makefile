# Two commands on a fresh machine with only python3 and make: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv: the one on PATH, else a private copy bootstrapped with pip into .tools/
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --no-sync

export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DAGSTER_DISABLE_TELEMETRY := 1
export GX_ANALYTICS_ENABLED := False
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

VENV_STAMP := .venv/.synced
# The Spark target's own environment: the project with the spark group (dbt-spark, pyspark)
SPARK_STAMP := .venv-spark/.synced
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print)

.PHONY: help setup system run status csv report spark test lint dev sample bench faults clean

help:
	@echo "make run     run the whole pipeline on the landing data into data/warehouse.duckdb"
	@echo "make status  the publication, the last runs, the newest files and the last checks"
	@echo "make csv     CSV copies of the published tables for spreadsheets, in data/exports/csv"
	@echo "make report  the committee's report (HTML, PDF, Excel) of the publication, in data/reports/committee"
	@echo "make spark   the warehouse's models built on Apache Spark (local mode), in data/spark"
	@echo "make test    lint and run every test"
	@echo "make dev     start the Dagster UI with the daily schedule and the landing sensor"
	@echo "             (and a temporary PostgreSQL 15 the publication is copied into)"
	@echo "make sample  regenerate the shipped sample landing files"
	@echo "make bench   every benchmark and the cost curve (2 h or more; docs/benchmarks.md)"
	@echo "make faults  kill -9, a full disk and concurrent runs on sample copies (root, ~25 min)"

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet uv

$(VENV_STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked
	@touch $@

$(SPARK_STAMP): pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=.venv-spark $(UV) sync --locked --no-default-groups --group spark
	@touch $@

$(MANIFEST): $(VENV_STAMP) $(DBT_SOURCES)
	$(RUN) dagster-dbt project prepare-and-package --file orchestration/dbt_project.py

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp $< $@

setup: $(VENV_STAMP) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml

# The Debian packages of debian-packages.txt that are not installed, installed with apt-get.
DEBIAN_PACKAGES := $(shell sed 's/\#.*//' debian-packages.txt)
system:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# system: the publication ends with the committee report, printed to PDF by Chromium
run: setup system
	$(RUN) python -m orchestration.run

status: setup
	$(RUN) python -m orchestration.status

csv: $(VENV_STAMP)
	$(RUN) python -m serving.csv_export

report: $(VENV_STAMP) system
	$(RUN) python -m serving.committee_report

spark: setup system $(SPARK_STAMP)
	$(RUN) python -m orchestration.spark_build

test: setup system $(SPARK_STAMP) lint
	$(RUN) pytest

lint: $(VENV_STAMP)
	$(RUN) ruff check .
	$(RUN) ruff format --check .

# with a temporary PostgreSQL the publication is copied into, unless ROIJAI_POSTGRES_URL is set
dev: setup system
	$(RUN) python -m serving.local_postgres -- dagster dev -m orchestration.definitions

sample: $(VENV_STAMP)
	$(RUN) python -m sources.sample.generate

bench: setup
	$(RUN) python -m bench.run
	$(RUN) python -m bench.plot

faults: setup
	$(RUN) python -m faults.run

clean:
	rm -rf .venv .venv-spark .tools dbt_project/target .dagster_home
