# ecs-portal: `make run` and `make test` work on a fresh Debian machine with rustup, Python 3
# and Node. Every tool comes from a package registry (crates.io, PyPI, npm, Debian); each
# install step is skipped when the pinned version is already there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.11
# Must equal the wasm-bindgen version pinned in Cargo.toml / Cargo.lock.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/version = "\(.*\)"/\1/p;q}' Cargo.lock)
MOTO_VERSION := 5.2.5
PYTHON ?= python3
VENV := .venv
MOTO_STAMP := $(VENV)/.moto-$(MOTO_VERSION)
NODE_STAMP := end2end/node_modules/.installed
CARGO_BIN := $(HOME)/.cargo/bin

# cargo-leptos reads the bundle name at compile time; cargo test must see the same value
# or every Leptos crate is rebuilt between the two.
export LEPTOS_OUTPUT_NAME := ecs-portal
# wasm-bindgen and wasm-opt come from PATH (cargo-leptos would otherwise try a download).
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(CARGO_BIN):$(PATH)

TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
PORT ?= 3000
MOTO_PORT ?= 4566

.PHONY: help run test test-rust test-e2e build build-release bench lint setup setup-rust \
        setup-python setup-node setup-chromium setup-wrk clean

help:
	@echo "make run    - portal on http://127.0.0.1:$(PORT) against a local AWS emulator (sandbox)"
	@echo "make test   - unit, integration (moto) and end-to-end (Chromium) tests"
	@echo "make lint   - cargo fmt --check and clippy -D warnings"
	@echo "make bench  - history benchmark on a release build (10k and 1M rows); writes bench/RESULTS.md"

## ---- setup ---------------------------------------------------------------------------

setup: setup-rust setup-python setup-node

setup-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if ! cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)"; then \
	  echo "installing cargo-leptos $(CARGO_LEPTOS_VERSION) (its lock needs rustc >= 1.96: using nightly)"; \
	  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal; \
	  cargo +nightly install cargo-leptos --locked --version $(CARGO_LEPTOS_VERSION); \
	fi
	@if ! wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  cargo install wasm-bindgen-cli --version "=$(WASM_BINDGEN_VERSION)" --force; \
	fi

$(MOTO_STAMP):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check "moto[server]==$(MOTO_VERSION)"
	touch $@

setup-python: $(MOTO_STAMP)

$(NODE_STAMP): end2end/package.json end2end/package-lock.json
	cd end2end && npm ci --no-audit --no-fund
	touch $@

# Playwright drives Debian's Chromium; its own browser download is never used.
setup-node: $(NODE_STAMP) setup-chromium

setup-chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Debian's chromium is missing: sudo apt-get install chromium"; exit 1; fi; \
	fi

## ---- build and run -------------------------------------------------------------------

build: setup-rust
	cargo leptos build

build-release: setup-rust setup-node
	cargo leptos build --release

run: build-release setup-python
	PORTAL_BIN=$(TARGET_DIR)/release/ecs-portal PORT=$(PORT) MOTO_PORT=$(MOTO_PORT) \
	  SANDBOX_DB=$${DATABASE_URL:-ecs-portal.db} scripts/sandbox.sh

## ---- tests -----------------------------------------------------------------------------

# Playwright runs first, right after `cargo leptos build`: `cargo test` may relink the
# server binary with the test profile's dependency features, and that binary's pages would
# not match the wasm bundle.
test: setup build setup-python
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory test-rust

# Unit tests (domain, errors) and integration tests (real router + moto_server + SQLite).
test-rust: setup-python
	MOTO_SERVER=$(CURDIR)/$(VENV)/bin/moto_server cargo test --workspace --locked

# Playwright in Debian Chromium against the debug build, with and without JavaScript.
test-e2e: setup-node setup-python
	cd end2end && PORTAL_BIN=$(abspath $(TARGET_DIR))/debug/ecs-portal npx playwright test

## ---- benchmark ---------------------------------------------------------------------------

# wrk (the load generator) comes from Debian, installed like chromium.
setup-wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
	  else echo "Debian's wrk is missing: sudo apt-get install wrk"; exit 1; fi; \
	fi

# Seeds 10k and 1M history rows, measures the history page, its throughput against a
# minimal JSON handler, the server's peak memory and the export; writes bench/RESULTS.md.
bench: setup-python setup-wrk
	cargo build --release --locked -p server -p bench
	PORTAL_BIN=$(abspath $(TARGET_DIR))/release/ecs-portal MOTO_SERVER=$(CURDIR)/$(VENV)/bin/moto_server \
	  $(TARGET_DIR)/release/history-bench

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown --locked -- -D warnings

clean:
	rm -rf target $(VENV) end2end/node_modules end2end/test-results
