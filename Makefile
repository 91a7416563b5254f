# Neuropathic-pain medicines assistant. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
RASA        := $(VENV)/bin/rasa
SPACY_MODEL := build/spacy/neuropathic_pain
MODEL       := models/assistant.tar.gz
WIDGET_JS   := widget/dist/widget.js
AUDIT_VENV  := build/audit-venv
RASA_PORT   ?= 5005
ACTION_SERVER_PORT ?= 5055
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

TRAINING_FILES := config.yml domain.yml $(wildcard data/*.yml data/nlu/*.yml safety/corpus/*.yml) $(wildcard safety/*.py) content/medicines.yml $(SPACY_MODEL)/meta.json

.PHONY: help install test lint check-content content-doc validate audit audit-in-test review-bench review-screenshots bench unit pytest stories run shell train nlu-report safety-report widget chromium lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

install: $(VENV)/.installed $(VENV)/bin/review $(AUDIT_VENV)/.installed chromium widget $(SPACY_MODEL)/meta.json $(MODEL) ## Create .venv (Python 3.10), install the lock files, Chromium, build the widget and spaCy, train
	@echo "Installed. Next: make test, or make run"

$(VENV)/.installed: requirements.lock
	@PYTHON310=$$(scripts/find_python310.sh) && \
	  { [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' || $$PYTHON310 -m venv --clear $(VENV); }
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --quiet --no-deps -r requirements.lock
	$(PY) -m pip check
	touch $@

# `review add-user ...` etc. from anywhere once .venv/bin is on PATH (source .venv/bin/activate).
$(VENV)/bin/review: $(VENV)/.installed
	printf '#!/bin/sh\n# Staff review app: review/cli.py\nPYTHONPATH="$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH}" exec "$(CURDIR)/$(VENV)/bin/python" -m review "$$@"\n' > $@
	chmod +x $@

# pip-audit's own tool venv: its dependencies conflict with Rasa 3.6's pins.
$(AUDIT_VENV)/.installed: requirements-audit.lock
	@PYTHON310=$$(scripts/find_python310.sh) && $$PYTHON310 -m venv --clear $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet --upgrade "pip==24.0"
	$(AUDIT_VENV)/bin/python -m pip install --quiet --no-deps -r requirements-audit.lock
	$(AUDIT_VENV)/bin/python -m pip check
	touch $@

$(SPACY_MODEL)/meta.json: content/medicines.yml scripts/build_spacy_model.py $(VENV)/.installed
	$(PY) -m scripts.build_spacy_model $(SPACY_MODEL)

$(MODEL): $(TRAINING_FILES) $(VENV)/.installed
	$(RASA) train --fixed-model-name assistant --out models --quiet

train: ## Retrain the Rasa model if its data changed
	@$(MAKE) --no-print-directory $(MODEL)

test: lint check-content validate audit-in-test pytest stories ## Run the whole test suite
	@echo "All checks passed."

lint: ## ruff
	$(VENV)/bin/ruff check actions channels core intents safety scripts stores review deploy tests

check-content: ## Validate content/ (schema, ids, reading level)
	$(PY) -m scripts.check_content

content-doc: ## Write docs/content.md (every topic's title, sources and review date) from content/
	$(PY) -m scripts.content_table

validate: ## rasa data validate --fail-on-warning
	$(RASA) data validate --fail-on-warning --quiet

audit: $(AUDIT_VENV)/.installed ## pip-audit over requirements.lock; fails on any finding not triaged in docs/security-triage.yml
	$(PY) -m scripts.audit

# In `make test`: an untriaged finding (exit 1) fails the suite. If the vulnerability
# service cannot be reached (exit 2: nothing was audited) the suite goes on with a loud
# warning, unless AUDIT_REQUIRED=1, where that fails too.
audit-in-test: $(AUDIT_VENV)/.installed
	@$(PY) -m scripts.audit; status=$$?; \
	  if [ $$status -eq 2 ] && [ "$${AUDIT_REQUIRED:-0}" != 1 ]; then \
	    echo "WARNING: dependency audit NOT RUN (vulnerability service unreachable); run make audit where pypi.org's JSON API answers" >&2; exit 0; \
	  fi; exit $$status

unit: $(VENV)/.installed ## Unit tests alone (about a minute): no trained model, servers, databases or browser
	$(PY) -m pytest -q -m "not integration" tests; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is broken" >&2; fi; exit $$status

pytest: $(MODEL) $(AUDIT_VENV)/.installed ## All of pytest: unit tests and end-to-end tests against real servers, databases and Chromium
	$(PY) -m pytest -q tests; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: the suite is broken" >&2; fi; exit $$status

stories: $(MODEL) ## rasa test on tests/test_stories.yml, failing on any prediction error
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml --fail-on-prediction-errors --out build/results --quiet

bench: $(MODEL) ## Our assistant against the stock `rasa init` assistant (same run) into docs/benchmarks.md
	$(PY) -m scripts.bench $(BENCH_ARGS)

review-bench: ## Review app list/filter latency at 100,000 conversations (SQLite, PostgreSQL) into docs/benchmarks.md
	$(PY) -m scripts.bench review --write

review-screenshots: ## Screenshots of the review app into docs/screenshots/
	$(PY) -m scripts.review_tools.screenshots

nlu-report: $(MODEL) ## NLU on the unseen and development sets, 5-fold cross-validation, into docs/nlu-report.md
	$(PY) -m scripts.nlu_eval --set dev --out build/nlu-eval-dev.json
	$(PY) -m scripts.nlu_eval --set unseen --out build/nlu-eval-unseen.json
	$(PY) -m scripts.nlu_cv -- --nlu data/nlu --folds 5 --out build/nlu-cv --quiet
	$(PY) -m scripts.nlu_report docs/nlu-report.md --cv build/nlu-cv --dev build/nlu-eval-dev.json --unseen build/nlu-eval-unseen.json

safety-report: $(MODEL) ## Run the safety corpora through the running bot, write docs/safety.md
	$(PY) -m pytest -q tests/safety
	cp build/safety-report.md docs/safety.md

run: $(MODEL) $(WIDGET_JS) ## Start the action server, Rasa (REST + socket.io) and the widget demo page (:8080)
	scripts/run.sh

shell: $(MODEL) ## Chat with the assistant in the terminal
	@mkdir -p var
	@trap 'kill 0' EXIT INT TERM; \
	  $(PY) -m actions.server --port $(ACTION_SERVER_PORT) >var/action-server.log 2>&1 & \
	  $(RASA) shell --model $(MODEL)

widget: ## Build the web chat widget into widget/dist (npm ci, esbuild)
	cd widget && npm ci --no-audit --no-fund && npm run build

$(WIDGET_JS): widget/package-lock.json widget/build.mjs $(wildcard widget/src/*)
	@$(MAKE) --no-print-directory widget

chromium: ## Install Debian's Chromium (for the widget's browser tests) if missing
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }

lock: ## Re-resolve requirements.in into requirements.lock
	$(PY) -m pip install --quiet -r requirements.in
	$(PY) -m pip freeze --exclude-editable | grep -v '^pip==' > requirements.lock

clean: ## Remove the venv, models and build output
	rm -rf $(VENV) build models var results .pytest_cache .ruff_cache widget/dist widget/node_modules
