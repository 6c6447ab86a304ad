# Procedure catalogue: the two README commands and their helpers. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install lock run test lint format migrate demo demo-forms elasticsearch \
	elasticsearch-build es-java bench

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-19s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Create .venv/ with the locked dependencies (runtime and dev)
	@# axe-core for the accessibility tests, exactly as package-lock.json pins it (no install scripts)
	@if [ -f package.json ]; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; fi

# requirements.lock: what production runs; requirements-dev.lock: tests, lint and the demo form
# builder, resolved within the runtime pins so the two never disagree.
$(VENV)/.installed: requirements.lock requirements-dev.lock | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock -r requirements-dev.lock
	touch $@

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

LOCK := $(BIN)/uv pip compile --quiet --python-version 3.11 --custom-compile-command "make lock"

lock: | $(BIN)/uv ## Re-resolve both lock files from pyproject.toml (keeps pins that still fit)
	$(LOCK) pyproject.toml -o requirements.lock
	$(LOCK) --group dev -c requirements.lock -o requirements-dev.lock

migrate: install
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate ## Migrate and load the demo catalogue (idempotent)
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_demo_admin
	@# A node from `make elasticsearch` starts empty: fill its index from the catalogue.
	@if [ -n "$$ELASTICSEARCH_URL" ]; then $(BIN)/python manage.py rebuild_search_index; fi

demo-forms: install ## Rebuild the sample form files of fixtures/forms/ (needs fonts-dejavu-core)
	$(BIN)/python -m fixtures.forms.build

run: demo ## Serve the demo at http://127.0.0.1:8000 (SQLite; Elasticsearch when ELASTICSEARCH_URL is set)
	@# The webhooks' worker (the database task queue) runs beside the server and stops with it.
	$(BIN)/python manage.py db_worker --backend webhooks --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## ruff format and safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint ## Checks, migrations check and the whole test suite
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest
	@if [ -n "$$POSTGRES_TEST_URL" ]; then \
		echo "== The suite again on PostgreSQL ($$POSTGRES_TEST_URL)"; \
		DATABASE_URL="$$POSTGRES_TEST_URL" $(BIN)/pytest -m "not browser" -p no:cacheprovider; \
	else \
		echo "PostgreSQL run skipped: set POSTGRES_TEST_URL=postgres://user:pass@host/db (.ci/run does)."; \
	fi

bench: install ## Run every benchmark, each printing its table (minutes; SQLite under bench/out/)
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/page_bench.py
	$(BIN)/python bench/api_bench.py

# One Elasticsearch 9 node for development and the search tests (search/node/README.md): the
# server and its HTTP transport from Maven Central (cached in ~/.m2), in the foreground until
# Ctrl-C. Elasticsearch 9 needs Java 21+ (the default java here is 17), so Maven and the node use
# the Temurin 25 JDK, or another JDK 21+ found in /usr/lib/jvm. The netty flags are the
# distribution's own (its jvm.options).
ES_JAVA_HOME ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64))
ES_PORT ?= 9200
ES_JAVA_OPTS ?= -Xms512m -Xmx1g
ES_NODE := search/node
ES_NODE_JAR := $(ES_NODE)/target/esnode-1.jar

# Fails with what to install when ES_JAVA_HOME is no JDK 21+ or Maven is missing.
es-java:
	@v=; [ -z "$(ES_JAVA_HOME)" ] || v=$$("$(ES_JAVA_HOME)/bin/java" -XshowSettings:properties \
		-version 2>&1 | sed -n 's/^ *java.specification.version = //p'); v=$${v%%.*}; \
	if [ "$${v:-0}" -lt 21 ]; then \
		echo "Elasticsearch 9 needs a JDK 21+: ES_JAVA_HOME='$(ES_JAVA_HOME)' has Java" \
			"$${v:-none} (by default the first of Temurin 25, OpenJDK 25 or 21 in /usr/lib/jvm)." \
			"Install one (temurin-25-jdk from packages.adoptium.net, or openjdk-21-jdk-headless)" \
			"or set ES_JAVA_HOME=/path/to/jdk." >&2; \
		exit 1; \
	fi
	@command -v mvn >/dev/null || { echo "Maven is missing: apt-get install maven" >&2; exit 1; }

$(ES_NODE_JAR): $(ES_NODE)/pom.xml $(shell find $(ES_NODE)/src -type f 2>/dev/null) | es-java
	JAVA_HOME=$(ES_JAVA_HOME) mvn -q -B -f $(ES_NODE)/pom.xml package

elasticsearch-build: $(ES_NODE_JAR) ## Only build the Elasticsearch node (search/node/)

elasticsearch: es-java $(ES_NODE_JAR) ## Run one Elasticsearch node on 127.0.0.1:$ES_PORT (9200), Ctrl-C stops it
	ES_PORT=$(ES_PORT) exec $(ES_JAVA_HOME)/bin/java $(ES_JAVA_OPTS) \
		--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
		-Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
		-Dio.netty.recycler.maxCapacityPerThread=0 \
		-cp $(ES_NODE_JAR):$$(cat $(ES_NODE)/target/classpath.txt) vn.thutuc.esnode.Main
