# Dateline: `make demo` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# One worker process per core: the work is CPU (templates, SQLite in-process), and more workers
# than cores cost more CPU per request (docs/performance.md, "Workers"). Connections are read in
# Rust and each worker has threads, so slow clients cannot hold it (deploy/granian_server.py).
WORKERS ?= $(shell nproc)
# The production server: granian (deploy/granian_server.py), or gunicorn as before
# (`make serve APP_SERVER=gunicorn`, deploy/gunicorn.conf.py; docs/decisions/0085-granian.md).
APP_SERVER ?= granian
PG_URL ?= postgres://postgres@127.0.0.1:5432/dateline
# The server, asked through its maintenance database (each test run creates and drops its own
# test_dateline_<run>_gw<N>: dateline/settings/test.py; tools/test_isolation.py shows two at once).
PG_PROBE ?= postgres://postgres@127.0.0.1:5432/postgres
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15  # keys prefixed per test run and xdist worker
PYTEST_WORKERS ?= 2

.PHONY: help install demo serve worker migrate test lint types unit unit-postgres browser-deps bench-deps node-deps lock clean stack stack-deps stack-ports

help:
	@echo "make demo    - install, migrate, load demo content and serve on http://$(HOST):$(PORT)"
	@echo "make serve   - the production server ($(APP_SERVER) + whitenoise, $(WORKERS) workers)"
	@echo "make stack   - Varnish on :$(STACK_PORT) in front of $(words $(STACK_APP_PORTS)) app servers, worker, scheduler"
	@echo "               (the demo content on a new database; STACK_DEMO=0: none)"
	@echo "make test    - ruff, mypy, pytest on SQLite and on PostgreSQL + Redis, browser tests"
	@echo "make lock    - re-resolve requirements.lock from pyproject.toml"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly what the lock file pins (hashes checked); re-runs when the lock changes.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@touch $@

install: $(VENV)/.installed

var:
	@mkdir -p var

migrate: install var
	$(BIN)/python manage.py migrate --noinput -v0

# Links in mail (the task worker sends it) point at the address the demo serves on.
demo: export DATELINE_BASE_URL ?= http://$(HOST):$(PORT)
# Mail is written to var/mail and listed at /demo/mailbox/ (sign-in links, confirmations).
demo: export EMAIL_URL ?= filemail:///$(CURDIR)/var/mail
demo: export DATELINE_DEMO_MAILBOX ?= 1
demo: migrate
	@# The learned spam and abuse filters from the shared datasets when they are there, once
	@# (again only when the code trains them differently; about three minutes on 2 cores),
	@# before the demo's comments are posted, so they carry scores; without the datasets the
	@# site runs on its rules alone.
	@$(BIN)/python manage.py train_filters --if-needed --jobs $(WORKERS) \
	  || echo "No shared datasets (DATELINE_SHARED_DATA): the learned filters stay off."
	$(BIN)/python manage.py load_demo
	@echo "Serving Dateline on http://$(HOST):$(PORT)/ (newsroom: http://$(HOST):$(PORT)/admin/; mail sent: http://$(HOST):$(PORT)/demo/mailbox/) - Ctrl+C stops"
	@trap 'kill 0' EXIT INT TERM; \
	  while :; do DEBUG=$${DEBUG:-0} $(BIN)/python manage.py run_worker --interval 2; sleep 5; done >>var/worker.log 2>&1 & \
	  while :; do DEBUG=$${DEBUG:-0} $(BIN)/python manage.py run_scheduler; sleep 5; done >>var/scheduler.log 2>&1 & \
	  DEBUG=$${DEBUG:-0} $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

# The production server. The first run writes a .env for a plain-HTTP local run (with a new
# secret key); edit it for a real deployment (TLS, hosts, DATABASE_URL, REDIS_URL).
.env:
	@umask 077; { \
	  echo "# Written by 'make serve' on first run; see .env.example for every variable."; \
	  echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(60))')"; \
	  echo "ALLOWED_HOSTS=127.0.0.1,localhost"; \
	  echo "DATELINE_BASE_URL=http://$(HOST):$(PORT)"; \
	  echo "# Plain HTTP on this machine; set both to 1 behind TLS."; \
	  echo "SECURE_SSL_REDIRECT=0"; \
	  echo "SECURE_COOKIES=0"; \
	} > .env
	@echo "Wrote .env for a local production run."

# $(call app_server,HOST:PORT,WORKERS): the command that runs APP_SERVER.
app_server_granian = $(BIN)/python deploy/granian_server.py --bind $(1) --workers $(2)
app_server_gunicorn = $(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind $(1) --workers $(2) \
  --worker-tmp-dir /dev/shm
app_server = $(call app_server_$(APP_SERVER),$(1),$(2))

serve: install var .env
	DJANGO_SETTINGS_MODULE=dateline.settings.production $(BIN)/python manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=dateline.settings.production $(BIN)/python manage.py collectstatic --noinput -v0
	@trap 'kill 0' EXIT INT TERM; \
	  while :; do DJANGO_SETTINGS_MODULE=dateline.settings.production $(BIN)/python manage.py run_worker --interval 2; sleep 5; done >>var/worker.log 2>&1 & \
	  while :; do DJANGO_SETTINGS_MODULE=dateline.settings.production $(BIN)/python manage.py run_scheduler; sleep 5; done >>var/scheduler.log 2>&1 & \
	  DJANGO_SETTINGS_MODULE=dateline.settings.production $(call app_server,$(HOST):$(PORT),$(WORKERS))

worker: install
	$(BIN)/python manage.py run_worker

# --- Checks -------------------------------------------------------------------------------------
test: lint types unit unit-postgres

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=. $(BIN)/lint-imports --no-cache

types: install
	$(BIN)/mypy dateline

# Debian's Chromium drives the browser tests; installed here when missing and we are root.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium (browser tests) and a Java runtime (HTML checker)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium default-jre-headless >/dev/null; \
	  else echo "chromium or java is missing and we are not root: those tests will be skipped"; fi; \
	fi

# The benchmarks (bench/) measure with Debian's wrk against nginx serving a static copy.
bench-deps:
	@if ! command -v wrk >/dev/null 2>&1 || [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's wrk and nginx-light (benchmarks)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; \
	    service nginx stop >/dev/null 2>&1 || true; \
	  else echo "wrk or nginx is missing and we are not root: apt-get install wrk nginx-light"; fi; \
	fi

# Varnish 7.1 and its xkey module (Debian's varnish, varnish-modules): `make stack` and the
# front-cache tests (tests/frontcache/). Debian starts a varnish service on install: stopped.
stack-deps:
	@if [ ! -x /usr/sbin/varnishd ] || ! ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's varnish and varnish-modules (front cache)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish varnish-modules >/dev/null; \
	    service varnish stop >/dev/null 2>&1 || true; \
	  else echo "varnish or varnish-modules is missing and we are not root: the front-cache tests will be skipped"; fi; \
	fi

# The whole stack on one machine (docs/operations.md): Varnish on STACK_PORT with
# deploy/varnish/dateline.vcl, in front of one app server per port in STACK_APP_PORTS (on
# 127.0.0.1; named in var/stack-vcl/dateline-backends.vcl, written by deploy/varnish/backends.py
# and put first on Varnish's vcl_path), the task worker (it sends the purges; polled every
# 0.25 s so a change shows within a second) and the scheduler. An app server or worker that
# stops is started again (kill -TERM one to restart it). SQLite by default; PostgreSQL and Redis
# when DATABASE_URL and REDIS_URL are set.
STACK_PORT ?= 8080
# The app servers' ports, one server each: `make stack STACK_APP_PORTS="8001 8002 8003"` runs
# three; change them to run beside another stack or anything else on 8001 and 8002.
STACK_APP_PORTS ?= 8001 8002
STACK_WORKERS ?= 1
# Python threads per app server worker. Two, not make serve's eight: Varnish hands the app
# servers whole requests only (the VCL buffers bodies), so a slow client holds none of them,
# and fewer threads taking turns at the interpreter lock serve a rendered page about a third
# faster (docs/performance.md, "Two threads behind Varnish").
STACK_THREADS ?= 2
# The demo's content and users on a new database (nothing below the front page, no account):
# someone trying the stack sees a site, not an empty front page. Never on a database with
# content or accounts; STACK_DEMO=0 leaves even a new one empty (docs/operations.md).
STACK_DEMO ?= 1
stack: export DJANGO_SETTINGS_MODULE = dateline.settings.production
stack: export DATELINE_VARNISH_URLS ?= http://127.0.0.1:$(STACK_PORT)
stack: export DATELINE_TRUSTED_PROXY_COUNT ?= 1
stack: export DATELINE_BASE_URL ?= http://$(HOST):$(STACK_PORT)
# "127.0.0.1:8001, :8002" for the line make stack prints.
stack_empty :=
stack_space := $(stack_empty) $(stack_empty)
stack_comma := ,
stack_app_addresses = 127.0.0.1:$(subst $(stack_space),$(stack_comma) :,$(strip $(STACK_APP_PORTS)))
# Every port the stack would listen on must be free: an app server that cannot bind its port
# only logs it, and Varnish would then send readers to whatever else answers there (another
# stack's servers, on another database).
stack-ports:
	@for port in $(STACK_PORT) $(STACK_APP_PORTS); do \
	  if (exec 3<>/dev/tcp/127.0.0.1/$$port) 2>/dev/null; then \
	    echo "Port $$port is in use (another stack?): make stack STACK_PORT=... STACK_APP_PORTS=\"... ...\" chooses others." >&2; \
	    exit 1; \
	  fi; \
	done
stack: stack-ports install var .env stack-deps
	@mkdir -p var/varnish var/stack-vcl
	$(BIN)/python deploy/varnish/backends.py $(addprefix 127.0.0.1:,$(STACK_APP_PORTS)) \
	  >var/stack-vcl/dateline-backends.vcl
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(if $(filter-out 0,$(STACK_DEMO)),$(BIN)/python manage.py load_demo --if-new)
	@echo "Dateline through Varnish on http://$(HOST):$(STACK_PORT)/ (app servers $(stack_app_addresses); logs in var/) - Ctrl+C stops"
	@trap 'kill 0' EXIT INT TERM; \
	  while :; do $(BIN)/python manage.py run_worker --interval 0.25; sleep 5; done >>var/worker.log 2>&1 & \
	  while :; do $(BIN)/python manage.py run_scheduler; sleep 5; done >>var/scheduler.log 2>&1 & \
	  for port in $(STACK_APP_PORTS); do \
	    while :; do \
	      GRANIAN_ACCESS_LOG=0 GUNICORN_ACCESS_LOG=/dev/null GRANIAN_BLOCKING_THREADS=$(STACK_THREADS) \
	        GUNICORN_THREADS=$(STACK_THREADS) $(call app_server,127.0.0.1:$$port,$(STACK_WORKERS)); \
	      echo "make stack: the app server on :$$port stopped; started again in 1 s"; sleep 1; \
	    done >>var/app-$$port.log 2>&1 & \
	  done; \
	  /usr/sbin/varnishd -F -j none -n $(CURDIR)/var/varnish -a $(HOST):$(STACK_PORT) -T 127.0.0.1:0 \
	    -s malloc,256m -p vcl_path=$(CURDIR)/var/stack-vcl:$(CURDIR)/deploy/varnish:/usr/share/varnish/vcl \
	    -f $(CURDIR)/deploy/varnish/dateline.vcl

# The Nu HTML Checker (vnu.jar) for the HTML validity test; its install script, which would
# download a Java runtime, is not run: the machine's Java runs it.
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --ignore-scripts --silent && touch $@; \
	else echo "npm is missing: the HTML validity test will be skipped"; fi

node-deps: node_modules/.installed

# Everything on the embedded setup: SQLite, local-memory cache, browser tests.
unit: install browser-deps node-deps stack-deps
	env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

# The suite again on PostgreSQL + Redis when they answer (CI and the development machines);
# skipped with the reason when they don't.
unit-postgres: install stack-deps
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_PROBE)', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider -m "not browser"; \
	else echo "SKIPPED: no PostgreSQL server answers at $(PG_PROBE); the suite ran on SQLite only."; fi

lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra cloudfront --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf .test-var .mypy_cache .ruff_cache
