# elearn — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= $(or $(ELEARN_PORT),5000)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=
#: pytest-xdist workers for `make test` (each has its own PostgreSQL server, SQLite template and browser).
PYTEST_WORKERS ?= 2
BENCH_ARGS ?=

RALPH_VENV := .venv-ralph

.PHONY: install install-test browser pdfsig postgres npm-peers ralph run test check bench mutate translations packages clean

## install: create .venv and install elearn with its dependencies (safe to repeat)
install: $(VENV)/.installed

# Debian ships ensurepip apart, in python3-venv (absent from a minimal system): without it `python3 -m venv`
# fails halfway, so the half-made .venv is removed, the package installed and venv run again. Any other
# failure is shown as venv reports it.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if $(PYTHON) -c 'import ensurepip' 2>/dev/null; then $(PYTHON) -m venv $(VENV); exit $$?; fi; \
	  echo "python3 -m venv needs ensurepip, which Debian ships in python3-venv: installing it..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv >/dev/null && \
	  $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

## install-test: the test dependencies too
install-test: $(VENV)/.installed-test browser pdfsig npm-peers

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## pdfsig: poppler's pdfsig, the independent checker of the certificates' PDF signatures in the tests
pdfsig:
	@command -v pdfsig >/dev/null 2>&1 || { \
	  echo "Installing poppler-utils (pdfsig) for the PDF signature tests..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq poppler-utils >/dev/null; }

## browser: Debian's chromium for the browser tests (Playwright cannot download its own here)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

## npm-peers: scorm-again (the SCORM runtime) and ADL's manifest schemas, pinned and hash-checked, in build/npm
npm-peers: $(VENV)/.installed-test
	@$(BIN)/python -m tests.npm_peers >/dev/null

## postgres: Debian's PostgreSQL binaries; the tests start their own throwaway server with them
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql for the database tests..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null; }

## ralph: Ralph, the learning record store the xAPI tests send to, in a virtualenv of its own (its
## pinned dependencies are not elearn's); its OIDC module imports requests, which its extras omit
ralph: $(RALPH_VENV)/.installed

$(RALPH_VENV)/.installed:
	@test -x $(RALPH_VENV)/bin/python || $(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'ralph-malph[cli,backend-fs,lrs]>=5.0' 'requests>=2.31'
	touch $@

## run: create or upgrade the database, then serve on http://127.0.0.1:$(PORT)
run: install
	$(BIN)/elearn init
	$(BIN)/elearn run --host 127.0.0.1 --port $(PORT) --no-reload --no-debugger

## test: the whole suite, browser tests included, on $(PYTEST_WORKERS) processes (PYTEST_WORKERS=0: one)
test: install-test postgres ralph
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## mutate: mutation testing of the rule modules with mutmut, each against its own fast tests (slow: not
## part of make test); prints the score per module and the survivors (docs/testing.md)
mutate: $(VENV)/.installed-mutate
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python -m tests.mutation_score

$(VENV)/.installed-mutate: $(VENV)/.installed-test pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,mutate]'
	touch $@

## bench: throughput, latency, PDF, export and start-up figures in one table (docs/performance.md)
bench: $(VENV)/.installed-bench postgres
	$(BIN)/python -m bench.run $(BENCH_ARGS)

$(VENV)/.installed-bench: $(VENV)/.installed-test pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@

## translations: extract the interface's French messages, update the English catalogue, compile it
## (then fill the new or fuzzy entries of elearn/translations/en/LC_MESSAGES/messages.po and run it again)
translations: install
	mkdir -p build
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _l --keywords lazy_gettext \
	  --add-location file --sort-by-file --project elearn --msgid-bugs-address "" -o build/messages.pot .
	$(BIN)/pybabel update --input-file build/messages.pot --output-dir elearn/translations --domain messages \
	  --ignore-obsolete --no-wrap
	$(BIN)/pybabel compile --directory elearn/translations --domain messages --statistics

## check: validate the shipped modules
check: install
	$(BIN)/elearn check modules --strict

## packages: rebuild every package (each module and the whole path, SCORM 1.2, SCORM 2004, offline) in build/paquets
packages: install
	$(BIN)/elearn package --all -o build/paquets

clean:
	rm -rf $(VENV) $(RALPH_VENV) build *.egg-info .pytest_cache mutants
