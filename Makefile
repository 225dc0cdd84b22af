# `make demo` and `make test` work on a fresh Debian machine with Python 3.11; `make test` installs
# Debian's chromium when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)
# The salt of pseudonymous hashes: a fixed one for the generated data only. Set your own secret
# (16+ characters, never changed once data was erased) for real data.
export AUDIENCE_PII_SALT ?= generated-data-only-salt

DEMO_DIR := data/demo
CI_DIR := data/ci
# Generated data ends on 2026-10-31 (start 2026-10-01, 30 days): freshness is measured then.
DATA_END := 2026-10-31T01:00:00
DBT_DEMO_ENV := AUDIENCE_TARGET=dev AUDIENCE_RAW_PATH=$(DEMO_DIR)/raw AUDIENCE_DUCKDB_PATH=$(DEMO_DIR)/audience.duckdb AUDIENCE_CHECK_NOW=$(DATA_END)
DBT_CI_ENV := AUDIENCE_TARGET=ci AUDIENCE_RAW_PATH=$(CI_DIR)/raw AUDIENCE_DUCKDB_PATH=$(CI_DIR)/audience.duckdb AUDIENCE_CHECK_NOW=$(DATA_END)

.PHONY: demo manifest dev collect serve test system-deps spark-deps check install lint engines-parse dbt-test dagster-validate pytest test-spark clean bot-user-agents

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

$(BIN)/.spark-installed: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $@

# dbt with the Snowflake and BigQuery adapters, in a venv of their own: their clients pin
# versions of shared packages (certifi, cryptography, filelock) that the project's venv keeps
# others of, and parsing needs nothing of the project's Python
ENGINES_VENV := .venv-engines
ENGINE_ADAPTERS := "dbt-core>=1.11,<1.12" "dbt-snowflake>=1.11,<1.12" "dbt-bigquery>=1.11,<1.12"
$(ENGINES_VENV)/.installed: Makefile
	test -x $(ENGINES_VENV)/bin/python || $(PYTHON) -m venv $(ENGINES_VENV)
	$(ENGINES_VENV)/bin/python -m pip install --quiet $(ENGINE_ADAPTERS)
	touch $@

## demo: sample data (5k users, 30 days), the nightly refresh through Dagster (dbt build, quality
## gates, exports, published copy, report), the month's history day by day (`audience
## backfill`), the file destination's sync, the audience report ($(DEMO_DIR)/report.html) and a
## summary; `make dev` then shows their runs
DEMO_USERS ?= 5000
# the first as-of date the demo evaluates day by day: the generated data's first day
DEMO_BACKFILL_FROM ?= 2026-10-01
DEMO_DAGSTER_HOME := $(CURDIR)/$(DEMO_DIR)/dagster
DAGSTER_DEMO_ENV := $(DBT_DEMO_ENV) DAGSTER_HOME=$(DEMO_DAGSTER_HOME) AUDIENCE_SYNC_FILES_BASE_URL=$(DEMO_DIR)/exports
CODE_LOCATION := -m orchestration.definitions
FILES_SYNCS := group:syncs and tag:"audience/destination"="files"
demo: install manifest
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DAGSTER_HOME)
	cp deploy/dagster.yaml $(DEMO_DAGSTER_HOME)/dagster.yaml
	$(BIN)/audience generate --users $(DEMO_USERS) --days 30 --seed 42 --out $(DEMO_DIR)
	@echo "Dagster job nightly_refresh: dbt build, quality gates, exports (log: $(DEMO_DIR)/dagster/demo.log)"
	$(DAGSTER_DEMO_ENV) $(BIN)/dg launch --job nightly_refresh $(CODE_LOCATION) > $(DEMO_DIR)/dagster/demo.log 2>&1 \
		|| { grep -E "STEP_FAILURE|did not pass|Error" $(DEMO_DIR)/dagster/demo.log | tail -20; exit 1; }
	@echo "audience backfill from $(DEMO_BACKFILL_FROM): each day's segments, sizes and RFM, then a refresh (log: $(DEMO_DIR)/backfill.log)"
	$(DBT_DEMO_ENV) $(BIN)/audience backfill --from $(DEMO_BACKFILL_FROM) > $(DEMO_DIR)/backfill.log 2>&1 \
		|| { tail -20 $(DEMO_DIR)/backfill.log; exit 1; }
	@echo "Dagster sync assets of the files destination (to $(DEMO_DIR)/exports)"
	$(DAGSTER_DEMO_ENV) $(BIN)/dg launch --assets '$(FILES_SYNCS)' $(CODE_LOCATION) >> $(DEMO_DIR)/dagster/demo.log 2>&1 \
		|| { grep -E "STEP_FAILURE|Error" $(DEMO_DIR)/dagster/demo.log | tail -20; exit 1; }
	$(DBT_DEMO_ENV) $(BIN)/audience report
	$(DBT_DEMO_ENV) $(BIN)/audience summary

## manifest: the dbt manifest the Dagster definitions load, parsed only when the project or its
## settings changed since (orchestration/defs/project.py)
manifest: install
	$(DBT_DEMO_ENV) $(BIN)/python -c "import orchestration.defs.project"

## dev: the Dagster UI on http://127.0.0.1:$(PORT) over the demo (built first if missing), with
## the demo's runs; HOST=0.0.0.0 to open it to the network. Ctrl-C or SIGTERM stops it.
PORT ?= 3000
HOST ?= 127.0.0.1
dev: install manifest
	test -f $(DEMO_DIR)/audience.duckdb || $(MAKE) demo
	mkdir -p $(DEMO_DAGSTER_HOME) && cp deploy/dagster.yaml $(DEMO_DAGSTER_HOME)/dagster.yaml
	exec env $(DAGSTER_DEMO_ENV) $(BIN)/python -m orchestration.default_signals \
		$(BIN)/dg dev $(CODE_LOCATION) --host $(HOST) --port $(PORT)

## collect: the Segment-compatible event collector (`audience collect`) on
## http://$(HOST):$(COLLECT_PORT), landing events in the demo's raw folder, where the raw files
## sensor picks them up; write keys from AUDIENCE_COLLECT_WRITE_KEYS (the demo's: demo-write-key).
## Ctrl-C or SIGTERM lands what it holds and stops it.
COLLECT_PORT ?= 8088
collect: install
	exec env $(DBT_DEMO_ENV) AUDIENCE_COLLECT_WRITE_KEYS=$${AUDIENCE_COLLECT_WRITE_KEYS:-demo-write-key} \
		$(BIN)/python -m orchestration.default_signals \
		$(BIN)/audience collect --host $(HOST) --port $(COLLECT_PORT)

## serve: the profile and segment lookup API (`audience serve`) on http://$(HOST):$(SERVE_PORT),
## reading the demo's published copy (built first if missing); clients from
## AUDIENCE_API_CLIENTS_FILE (the demo's: $(DEMO_DIR)/api_clients.yml, token demo-api-token)
SERVE_PORT ?= 8089
DEMO_API_CLIENTS := $(DEMO_DIR)/api_clients.yml
serve: install
	test -L $(DEMO_DIR)/published/current || $(MAKE) demo
	test -f $(DEMO_API_CLIENTS) || printf 'clients:\n  - name: demo\n    token_sha256: %s\n' \
		"$$(printf %s demo-api-token | sha256sum | cut -d' ' -f1)" > $(DEMO_API_CLIENTS)
	exec env $(DBT_DEMO_ENV) AUDIENCE_PUBLISH_PATH=$(DEMO_DIR)/published \
		AUDIENCE_API_CLIENTS_FILE=$${AUDIENCE_API_CLIENTS_FILE:-$(DEMO_API_CLIENTS)} \
		$(BIN)/python -m orchestration.default_signals \
		$(BIN)/audience serve --host $(HOST) --port $(SERVE_PORT)

## check: the quality suites on the demo warehouse, with Data Docs in target/data_docs
check: install
	$(DBT_DEMO_ENV) $(BIN)/audience check --data-docs target/data_docs

## test: everything CI checks
test: system-deps lint engines-parse dbt-test dagster-validate pytest test-spark

## system-deps: Debian's chromium, which the Dagster UI test drives, installed when missing (apt-get,
## through sudo unless run as root)
system-deps:
	@command -v chromium >/dev/null || { \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		echo "installing Debian's chromium (the UI test drives it)"; \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

## spark-deps: dbt-spark and pyspark in the venv, and Debian's Java runtime (openjdk-17-jre-headless)
## when no `java` is found (apt-get, through sudo unless run as root)
spark-deps: $(BIN)/.spark-installed
	@command -v java >/dev/null || { \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		echo "installing Debian's openjdk-17-jre-headless (Spark runs on it)"; \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; }

## engines-parse: the project parses for the snowflake and bigquery targets: every model's and
## macro's Jinja renders with their dispatches. No connection: `dbt compile` would need one (a
## Snowflake user is required by the profile's schema even to parse: a placeholder when unset).
engines-parse: $(ENGINES_VENV)/.installed
	for target in snowflake bigquery; do \
		SNOWFLAKE_USER=$${SNOWFLAKE_USER:-parse-only} AUDIENCE_RAW_FORMAT=table \
			$(ENGINES_VENV)/bin/dbt parse --quiet --no-partial-parse \
			--target $$target --target-path target/parse-$$target || exit 1; \
	done

lint: install
	mkdir -p $(CI_DIR)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DBT_CI_ENV) $(BIN)/sqlfluff lint models tests/dbt --processes 2
	$(BIN)/audience check-segments --strict
	$(BIN)/audience segment-deps --check
	$(BIN)/python -m orchestration.sync.destinations --check

# Generated data with defects turned up, so the quarantine and reconciliation tests have work to do.
dbt-test: install
	rm -rf $(CI_DIR) && mkdir -p $(CI_DIR)
	$(BIN)/audience generate --users 2000 --days 30 --seed 7 --defect-rate 0.05 --out $(CI_DIR) --no-progress
	$(DBT_CI_ENV) $(BIN)/dbt build
	$(DBT_CI_ENV) $(BIN)/audience check

# the code location loads: the manifest parses, every asset, check, job, schedule and sensor is valid
dagster-validate: install
	$(DBT_CI_ENV) $(BIN)/dg check defs

# One worker per core, at most 4 (each worker's builds may take the ci target's 3 GB DuckDB
# memory limit); a module's tests stay on one worker, so its fixtures are built once, and so do
# the modules sharing the demo's clone; the slow modules start first (tests/conftest.py:
# ModuleScheduling). The Spark tests run after them, alone (test-spark): run beside the others
# on the same cores they made the whole run slower (BENCHMARKS.md).
PYTEST_WORKERS ?= auto
pytest: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 --dist loadfile --durations=25 --ignore=tests/spark

## test-spark: generated data built on Spark in the dbt process, then served by a Thrift server on
## 127.0.0.1, equals its DuckDB build, and the Python side reads both alike
test-spark: spark-deps
	$(BIN)/pytest tests/spark --durations=5

## bot-user-agents: rewrite seeds/bot_user_agents.csv from the pinned crawler-user-agents package
CRAWLER_USER_AGENTS_VERSION := 1.67.0
bot-user-agents: install
	$(BIN)/python -m pip install --quiet crawler-user-agents==$(CRAWLER_USER_AGENTS_VERSION)
	$(BIN)/python -m orchestration.bot_user_agents

clean:
	rm -rf $(VENV) $(ENGINES_VENV) target logs data dbt_packages
