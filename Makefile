# `make demo` and `make test` work on a fresh machine with only Python 3.11.
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

.PHONY: demo dev test check install lint dbt-test dagster-validate pytest clean bot-user-agents

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## demo: sample data (5k users, 30 days), the whole pipeline with its quality gates, a file sync, a summary
demo: install
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	$(BIN)/audience generate --users 5000 --days 30 --seed 42 --out $(DEMO_DIR)
	$(DBT_DEMO_ENV) $(BIN)/audience refresh
	$(DBT_DEMO_ENV) AUDIENCE_SYNC_FILES_BASE_URL=$(DEMO_DIR)/exports $(BIN)/audience sync --all --destination files --no-progress
	$(DBT_DEMO_ENV) $(BIN)/audience summary

## dev: the Dagster UI on http://127.0.0.1:3000 over the demo warehouse (built first if missing)
DAGSTER_HOME ?= $(CURDIR)/data/dagster
dev: install
	test -f $(DEMO_DIR)/audience.duckdb || $(MAKE) demo
	mkdir -p $(DAGSTER_HOME) && cp orchestration/dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME) $(DBT_DEMO_ENV) $(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

## check: the quality suites on the demo warehouse, with Data Docs in target/data_docs
check: install
	$(DBT_DEMO_ENV) $(BIN)/audience check --data-docs target/data_docs

## test: everything CI checks
test: lint dbt-test dagster-validate pytest

lint: install
	mkdir -p $(CI_DIR)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DBT_CI_ENV) $(BIN)/sqlfluff lint models tests/dbt --processes 2
	$(BIN)/audience check-segments --strict

# Generated data with defects turned up, so the quarantine and reconciliation tests have work to do.
dbt-test: install
	rm -rf $(CI_DIR) && mkdir -p $(CI_DIR)
	$(BIN)/audience generate --users 2000 --days 30 --seed 7 --defect-rate 0.05 --out $(CI_DIR) --no-progress
	$(DBT_CI_ENV) $(BIN)/dbt build
	$(DBT_CI_ENV) $(BIN)/audience check

# the code location loads: the manifest parses, every asset, check, job, schedule and sensor is valid
dagster-validate: install
	$(DBT_CI_ENV) $(BIN)/dagster definitions validate -m orchestration.definitions

pytest: install
	$(BIN)/pytest --durations=25

## bot-user-agents: rewrite seeds/bot_user_agents.csv from the pinned crawler-user-agents package
CRAWLER_USER_AGENTS_VERSION := 1.67.0
bot-user-agents: install
	$(BIN)/python -m pip install --quiet crawler-user-agents==$(CRAWLER_USER_AGENTS_VERSION)
	$(BIN)/python -m orchestration.bot_user_agents

clean:
	rm -rf $(VENV) target logs data dbt_packages
