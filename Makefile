# Two entry points: `make demo` (watch a plan unfold in a minute) and `make test` (everything CI runs).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench clean

$(BIN)/therapy-timer: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/therapy-timer
	$(BIN)/therapy-timer demo

test: $(BIN)/therapy-timer
	$(BIN)/python -m pytest

bench: $(BIN)/therapy-timer
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
