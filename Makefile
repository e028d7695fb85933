# The two commands that matter: `make demo` runs the main job, `make test` passes the tests.
# Both set the machine up first (Debian packages, .venv, trained models).
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint bench reproducible

setup:
	./scripts/setup

demo: setup
	$(BIN)/clerk demo

test: setup lint
	$(BIN)/python -m pytest -q

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The peers it compares with are bench-only (the 'bench' extra; Debian's poppler-utils).
bench:
	CLERK_SETUP_BENCH=1 ./scripts/setup
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[bench]'
	$(BIN)/python -m bench

# Builds every model twice from nothing (temporary registries) and compares the files.
reproducible: setup
	$(BIN)/clerk models build --check
