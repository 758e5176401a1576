# Developer verbs. `make run` and `make test` bootstrap everything they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONPATH := $(CURDIR)/layers:$(CURDIR)

.PHONY: job bootstrap run test test-fast lint format migrate synth bench seed openapi clean

bootstrap:
	@scripts/bootstrap.sh

run: bootstrap
	$(PY) -m local.server

test: bootstrap
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy layers functions infra local bench
	$(VENV)/bin/pytest -q

test-fast: bootstrap
	$(VENV)/bin/pytest -q -m "not slow" tests/unit tests/integration

lint: bootstrap
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy layers functions infra local bench

format: bootstrap
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: bootstrap
	$(PY) -m local.migrate

# One scheduled job against the local stack, e.g. `make job NAME=dispatch_notifications`.
job: bootstrap
	$(PY) -m local.job $(NAME)

seed: bootstrap
	$(PY) -m local.seed

openapi: bootstrap
	$(PY) -m local.openapi > openapi.json

synth: bootstrap
	$(PY) -m infra.app

bench: bootstrap
	$(PY) -m bench --n 300 --threads 8

clean:
	rm -rf cdk.out build .pytest_cache .mypy_cache .ruff_cache
