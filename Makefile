# Set-up is part of every target: `make run` and `make test` create .venv and install the project if needed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## run the default scenario (120 months) and print the summary
run: $(STAMP)
	$(VENV)/bin/plm run

## lint (ruff, configured in pyproject.toml), then the whole test suite, slow tests included (many minutes:
## the browser tests, the sweeps on a Dask cluster, the classic reference, validate/calibrate/report runs).
## A lint failure fails the target before any test runs.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

## the tests not marked @pytest.mark.slow (over ~5 s each), in about a minute: the one to run while working
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

## lint only: `ruff check .` (`ruff check --fix .` makes the mechanical fixes: import order, unused imports)
lint: $(STAMP)
	$(VENV)/bin/ruff check .

## speed and memory benchmarks (figures recorded in docs/benchmarks.md)
bench: $(STAMP)
	bash benchmarks/run_benchmarks.sh

clean:
	rm -rf $(VENV) runs .pytest_cache

## start the app on the default scenario: open http://127.0.0.1:8765/ (PORT=... to change; Ctrl-C stops)
.PHONY: app
PORT ?= 8765
app: $(STAMP)
	$(VENV)/bin/plm app --port $(PORT)
