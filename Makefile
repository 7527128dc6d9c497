# gonghui — the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: demo setup test lint clean cluster cluster-down cluster-status

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python ≥ 3.11（当前 %s）" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "需要 Node.js 和 npm（用于安装 htmx、Leaflet、ECharts）"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/.built: node_modules/.package-lock.json scripts/vendor_static.py | $(VENV)/.installed
	$(BIN)/python scripts/vendor_static.py
	@touch $@

setup: $(VENV)/.installed static/vendor/.built

demo: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The whole suite on the embedded SQLite; then again on PostgreSQL when DATABASE_URL points at one.
test: setup
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then echo "== 在 PostgreSQL 上再运行一遍（DATABASE_URL 已设置）"; \
	  DB_CONN_MAX_AGE=0 $(BIN)/pytest $(PYTEST_ARGS); fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles

# The local cluster (docs/deploy.md): HAProxy, two gunicorn, PgBouncer, pg_auto_failover, Redis + Sentinel.
cluster: setup
	deploy/cluster.sh up

cluster-down:
	deploy/cluster.sh down

cluster-status:
	deploy/cluster.sh status
