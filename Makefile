# winset: `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench clean peers

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,report,nlp,postgres,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/winset validate examples/kuril-2019-01.yaml --require-evidence
	$(BIN)/winset validate examples/kuril-2019-09.yaml --require-evidence
	$(BIN)/winset forecast examples/kuril-2019-01.yaml --model compromise
	$(BIN)/winset compare examples/kuril-2019-01.yaml --plot kuril-2019-01.png
	$(BIN)/winset compare examples/kuril-2019-09.yaml --plot kuril-2019-09.png
	$(BIN)/winset forecast examples/kuril-2019-09.yaml --model winsets --no-actors
	$(BIN)/winset backtest examples/

test: $(STAMP) peers
	$(BIN)/pytest

# Peer implementations that tests compare against where installed. The Decide package pins
# old numpy/pandas/PyQt5, so only its model code is installed, without its dependencies.
peers: $(VENV)/.peers
$(VENV)/.peers: $(STAMP)
	$(BIN)/pip install --quiet --no-deps decide-exchange-model==2022.1.28 typesystem==0.2.5 peewee
	touch $(VENV)/.peers

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis kuril-2019-*.png
