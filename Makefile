# FulfilStation: `make run` (demo station window) and `make test` (the whole suite) are all
# a developer or a warehouse owner trying it out needs. Both create .venv on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

ZPL_RENDERER := tests/support/zpl_renderer/node_modules/zpl-renderer-js/package.json

.PHONY: run test lint typecheck unit install clean zpl-renderer bench bundle deb

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "FulfilStation needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

# PyInstaller, for the bundle and the installer tests (the `bundle` extra of pyproject.toml).
BUNDLE_STAMP := $(VENV)/.bundle-stamp
$(BUNDLE_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,bundle]'
	@touch $(BUNDLE_STAMP)

# The one-folder bundle dist/fulfilstation (installer/fulfilstation.spec), rebuilt only when a
# source or the environment changed (installer/build_bundle.py); a few minutes on 2 cores.
# Check it with dist/fulfilstation/fulfilstation --self-test. Linux needs objdump (binutils).
bundle: $(BUNDLE_STAMP)
	$(PY) installer/build_bundle.py

# The Debian package dist/fulfilstation_VERSION_ARCH.deb, made from the bundle with dpkg-deb.
deb: bundle
	$(PY) installer/linux/build_deb.py

run: $(STAMP)
	@$(PY) -c 'import PySide6.QtWidgets' 2>/dev/null || { echo "Qt cannot load its system libraries. On Debian/Ubuntu: sudo apt-get install libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libfontconfig1 libdbus-1-3"; exit 1; }
	$(PY) main.py --demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest tests/unit

# The independent ZPL renderer the tests use to decode printed barcodes (needs Node/npm).
zpl-renderer:
	@if [ -f $(ZPL_RENDERER) ]; then :; \
	elif command -v npm >/dev/null; then npm ci --prefix tests/support/zpl_renderer --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: ZPL rendering tests will be skipped here (CI installs Node and runs them)"; fi

# PostgreSQL: FULFIL_TEST_POSTGRES_URL, else a local server on 127.0.0.1:5432 (user postgres)
# when one answers, else SQLite alone; pytest prints "engines: …" to say which ran.
# Two pytest workers (pytest-xdist; a file's tests stay together on one worker): most of
# the suite's time is CLI subprocesses starting Python, which run side by side on two cores.
# PYTEST_WORKERS=0 runs everything in one process. A failed test fails the run: no reruns.
# The slow installer tests (tests/installer: build the bundle once, run its self-test, build,
# install and remove the .deb as root) run too; `.venv/bin/pytest -m "not slow"` leaves them out.
PYTEST_WORKERS ?= 2
test: lint typecheck zpl-renderer $(BUNDLE_STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile

# Every benchmark of bench/ at the issue's scale, printed as one table (measurement, figure,
# target, met): SQLite in a temporary file, PostgreSQL in a database made and dropped on
# FULFIL_BENCH_POSTGRES_URL (default 127.0.0.1:5432 as postgres). About half an hour on 2 cores.
# BENCH_ARGS="--quick" for a small scale, "--only scan,label" for a subset, "--markdown" for the README.
BENCH_ARGS ?=
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
