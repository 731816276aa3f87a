# Two entry points: `make demo` (watch a plan unfold in a minute) and `make test` (everything CI runs).
# For daily work: `make check` (format, lint, types and the unit tier, under half a minute) and `make fmt`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test check lint fmt gen bench dist distcheck clean

# Debian and Ubuntu ship venv's pip bootstrap (ensurepip) apart, as python3-venv: without it the
# venv is made without pip, and pip is fetched with its official bootstrap script.
$(BIN)/therapy-timer: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { \
	  echo "make: no ensurepip here (Debian/Ubuntu: python3-venv); fetching pip with get-pip.py"; \
	  rm -rf $(VENV) && $(PYTHON) -m venv --without-pip $(VENV) && \
	  $(BIN)/python -c "import urllib.request as u; u.urlretrieve('https://bootstrap.pypa.io/get-pip.py', '$(VENV)/get-pip.py')" && \
	  $(BIN)/python $(VENV)/get-pip.py --quiet; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $@

demo: $(BIN)/therapy-timer
	$(BIN)/therapy-timer demo

# The gates CI enforces before any test runs: formatting, lint, strict types, the layering
# (import-linter contracts in pyproject.toml), and the files
# generated from the settings and commands (default config, README tables) being current.
lint: $(BIN)/therapy-timer
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tools/generate.py --check

# Everything CI runs: the gates, then every tier (unit, cli, daemon, system).
test: lint
	$(BIN)/python -m pytest

# The fast loop for daily work: the gates and the unit tier.
check: lint
	$(BIN)/python -m pytest -q -m unit

fmt: $(BIN)/therapy-timer
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rewrite default_config.toml, config.toml and the README's settings and command tables.
gen: $(BIN)/therapy-timer
	$(BIN)/python tools/generate.py

bench: $(BIN)/therapy-timer
	$(BIN)/python bench/run_all.py

# The sdist (with its tests, which run from the unpacked folder) and the wheel, in dist/.
dist: $(BIN)/therapy-timer
	$(BIN)/python -m pip install --quiet build
	rm -rf dist build *.egg-info
	$(BIN)/python -m build

# What a packager does with the sdist: unpack it, install it (not editable) into a fresh venv, run
# its tests there (the unit and cli tiers; the rest need the daemon's real timing and a desktop).
distcheck: dist
	rm -rf build/distcheck && mkdir -p build/distcheck
	tar -xzf dist/therapy_timer-*.tar.gz -C build/distcheck
	cd build/distcheck/therapy_timer-* && $(PYTHON) -m venv .venv && .venv/bin/python -m pip install --quiet '.[test]' \
	  && .venv/bin/python -m pytest -q -p no:cacheprovider -m "unit or cli"

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis .mypy_cache .ruff_cache
