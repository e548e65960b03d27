# Cloud Store — the two commands of the README, and the steps they are made of.
#   make run    install what is missing, build the release site and serve 127.0.0.1:3000
#   make test   install what is missing, then every test: unit, repository (SQLite and
#               PostgreSQL), HTTP integration, a short fuzzing pass, Playwright
#               end-to-end in Chromium, the integration API's contract (schemathesis), and the fleet
#               (PostgreSQL must be reachable; SKIP_POSTGRES=1 skips it, and says so)
# Other targets: setup, site, site-release, api-contract, catalogue, e2e, fleet-test, cluster, fuzz,
# fuzz-short, bench, lighthouse, lint, images.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

SITE      := target/site
PKG       := $(SITE)/pkg
BUNDLE    := cloud_store
BROWSE    := cloud_store_browse
WASM_TGT  := wasm32-unknown-unknown
WBG_VER    = $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/[^0-9.]/, ""); print}' Cargo.lock)
WASM_OPT  := node_modules/.bin/wasm-opt
# PostgreSQL for the repository and integration tests. Unreachable, its tests fail;
# SKIP_POSTGRES=1 is the explicit way to run without it.
export TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

help:
	@sed -n '2,6p' Makefile

# ---- installs (each skipped when already present at the right version) -------------
setup:
	@rustup target list --installed | grep -qx $(WASM_TGT) || rustup target add $(WASM_TGT)
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WBG_VER)" ]; then \
	  echo "installing wasm-bindgen-cli $(WBG_VER) (about 2 minutes)"; \
	  cargo install wasm-bindgen-cli --version $(WBG_VER); fi
	@# npm packages: installed again whenever a lock file is newer than the install.
	@[ node_modules/.package-lock.json -nt package-lock.json ] || \
	  (npm install --no-audit --no-fund && touch node_modules/.package-lock.json)
	@[ end2end/node_modules/.package-lock.json -nt end2end/package-lock.json ] || \
	  (cd end2end && npm install --no-audit --no-fund && touch node_modules/.package-lock.json)
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v brotli >/dev/null || missing="$$missing brotli"; \
	  command -v nginx >/dev/null || missing="$$missing nginx-light"; \
	  if [ -n "$$missing" ]; then echo "installing$$missing"; \
	    if [ "$$(id -u)" = 0 ]; then apt-get install -y $$missing >/dev/null; \
	    else sudo apt-get install -y $$missing >/dev/null; fi; fi

# ---- the site: wasm + JS bundle, CSS and public assets under target/site -------------
# Two bundles of the same app: the full one, and the browse one (feature `browse`: only
# the islands of home, nearby, store, product and bag) that those pages load.
define bundle
	rm -rf $(PKG) && mkdir -p $(PKG)
	cargo build -p frontend --lib --target $(WASM_TGT) --profile $(1)
	wasm-bindgen --target web --no-typescript --out-dir $(PKG) --out-name $(BUNDLE) \
	  target/$(WASM_TGT)/$(if $(filter dev,$(1)),debug,$(1))/frontend.wasm
	cargo build -p frontend --lib --target $(WASM_TGT) --profile $(1) --features browse
	wasm-bindgen --target web --no-typescript --out-dir $(PKG) --out-name $(BROWSE) \
	  target/$(WASM_TGT)/$(if $(filter dev,$(1)),debug,$(1))/frontend.wasm
	cp style/main.css $(PKG)/$(BUNDLE).css
	cp -r public/. $(SITE)/
endef

site: setup
	$(call bundle,dev)

site-release: setup
	$(call bundle,wasm-release)
	for b in $(BUNDLE) $(BROWSE); do \
	  $(WASM_OPT) -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	    --enable-mutable-globals --enable-reference-types --enable-multivalue \
	    -o $(PKG)/$${b}_bg.wasm $(PKG)/$${b}_bg.wasm; done
	cd $(PKG) && for f in *.wasm *.js *.css; do brotli -f -q 11 -k "$$f"; gzip -f -9 -k "$$f"; done

# ---- run ---------------------------------------------------------------------------
# The demo: a signing key and the first brand admin's password, each made once for this
# checkout (kept in .secret-key and .admin-password, never committed), so links, codes
# and the admin survive a restart; demo mode (sign-in codes go to the log and
# /demo/inbox; every demo store gets a manager, a staff member and its guides as staff
# accounts, listed in the log with their password).
ADMIN_PHONE ?= 13800000000
run: site-release
	cargo build --release -p server
	@[ -s .secret-key ] || (umask 077 && head -c 48 /dev/urandom | base64 -w0 > .secret-key)
	@[ -s .admin-password ] || (umask 077 && head -c 12 /dev/urandom | base64 -w0 | tr '+/' 'xy' > .admin-password)
	@echo "Brand admin: sign in at http://127.0.0.1:3000/staff as $(ADMIN_PHONE) with password $$(cat .admin-password)"
	@echo "(made on the first start of an empty database; demo stores' staff accounts are listed below)"
	SITE_ROOT=$(SITE) SECRET_KEY="$$(cat .secret-key)" ADMIN_PHONE=$(ADMIN_PHONE) \
	  ADMIN_PASSWORD="$$(cat .admin-password)" DEMO_MODE=true target/release/server

# ---- tests -------------------------------------------------------------------------
# The last line says whether PostgreSQL was left out, pass or fail.
test: setup lint
	@trap 'set +x; if [ "$${SKIP_POSTGRES:-}" = 1 ]; then echo "PostgreSQL tests SKIPPED (SKIP_POSTGRES=1)"; fi' EXIT; \
	  set -x; \
	  cargo test -p app --features ssr; \
	  cargo test -p server; \
	  $(MAKE) --no-print-directory api-contract; \
	  $(MAKE) --no-print-directory fuzz-short; \
	  $(MAKE) e2e; \
	  if [ "$${SKIP_POSTGRES:-}" != 1 ]; then $(MAKE) fleet-test; fi

# The integration API's contract: schemathesis against the generated OpenAPI document
# (scripts/schemathesis.sh), on the debug server.
SCHEMATHESIS_VER := 4.32.5
api-contract:
	@[ "$$(st --version 2>/dev/null | awk '{print $$3}')" = "$(SCHEMATHESIS_VER)" ] || \
	  pip install --quiet schemathesis==$(SCHEMATHESIS_VER)
	cargo build -p server
	scripts/schemathesis.sh target/debug/server

# The message catalogue as end2end/catalogue.json (git-ignored): the e2e suite's
# expected texts come from the app itself.
catalogue:
	CATALOGUE_JSON=$(CURDIR)/end2end/catalogue.json cargo test -p app --features ssr --lib catalogue

# Playwright against the debug server (shares the build with `cargo test`) and the
# release bundle (what shoppers get, wasm-opt included), on a fresh SQLite file.
e2e: site-release catalogue
	cargo build -p server
	cd end2end && npx playwright test

lint:
	$(MAKE) --no-print-directory images-check
	cargo fmt --all --check
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p frontend --target $(WASM_TGT) -- -D warnings
	cargo clippy -p frontend --target $(WASM_TGT) --features browse -- -D warnings

# ---- fuzzing (cargo fuzz, libFuzzer; nightly) ----
# One target per parser of outside input (fuzz/fuzz_targets), each asserting what its
# parser promises, not only that it does not panic. `make fuzz` runs each for
# FUZZ_SECONDS; `make fuzz-short` is the short pass CI runs. The seeds in
# fuzz/corpus/<target> are only read: what a run learns is kept in
# fuzz/corpus-grown/<target> and a failing input lands in fuzz/artifacts/<target> (both
# git-ignored); each target's log is fuzz/target/logs/<target>.log. No sanitizer by
# default: the app forbids unsafe code, and ASan would instrument every dependency.
FUZZ_SECONDS ?= 60
FUZZ_SHORT_SECONDS ?= 10
FUZZ_FLAGS ?= --sanitizer none
fuzz:
	@cargo +nightly --version >/dev/null 2>&1 || rustup toolchain install nightly --profile minimal
	@cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
	cargo +nightly fuzz build $(FUZZ_FLAGS)
	@mkdir -p fuzz/target/logs; targets="$$(cargo +nightly fuzz list)"; failed=""; \
	  [ -n "$$targets" ] || { echo "no fuzz targets found"; exit 1; }; \
	  for t in $$targets; do \
	    mkdir -p fuzz/corpus-grown/$$t; log=fuzz/target/logs/$$t.log; \
	    if cargo +nightly fuzz run $(FUZZ_FLAGS) $$t fuzz/corpus-grown/$$t fuzz/corpus/$$t -- \
	        -max_total_time=$(FUZZ_SECONDS) -timeout=10 >$$log 2>&1; then \
	      echo "ok    $$t: $$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' $$log)"; \
	    else \
	      tail -n 40 $$log; echo "FAIL  $$t (whole log: $$log)"; failed="$$failed $$t"; \
	    fi; \
	  done; \
	  if [ -n "$$failed" ]; then echo "fuzzing failed:$$failed (inputs in fuzz/artifacts/)"; exit 1; fi

fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SHORT_SECONDS)

# ---- the fleet: nginx round robin over N servers on one PostgreSQL database ----------
# `make cluster` serves it on 127.0.0.1:3000 (release build) until `scripts/cluster.sh
# stop`; `make fleet-test` (part of `make test`) runs the fleet's HTTP tests (sessions,
# checkout storm, rate limits, rolling restart and — as root — a PostgreSQL restart) and
# the phone journeys with JavaScript through it, on the debug build: those without
# payment on servers that take none, then the payment journeys (@payment) on servers with
# the demo gateway.
CLUSTER_N ?= 2
PG_URL ?= postgres://postgres@127.0.0.1:5432
cluster: site-release
	cargo build --release -p server
	CLUSTER_PORT=$${CLUSTER_PORT:-3000} PG_URL=$(PG_URL) scripts/cluster.sh start $(CLUSTER_N)
	@echo "stop it with: scripts/cluster.sh stop"

FLEET_PORT := 3300
fleet-test: site-release catalogue
	cargo build -p server
	cargo test -p server --test integration --no-run
	@trap 'status=$$?; $(CURDIR)/scripts/cluster.sh stop; exit $$status' EXIT; \
	  export CLUSTER_PORT=$(FLEET_PORT) PG_URL=$(PG_URL) SERVER=target/debug/server; \
	  export CLUSTER_ADMIN_PASSWORD='e2e admin password' KIOSK_IDLE_SECONDS=60 KIOSK_WARN_SECONDS=15; \
	  export CLUSTER_PAYMENT=off; \
	  $(CURDIR)/scripts/cluster.sh start $(CLUSTER_N); \
	  CLUSTER_URL=http://127.0.0.1:$(FLEET_PORT) CLUSTER_DATABASE_URL=$(PG_URL)/cloud_store_cluster \
	  CLUSTER_SCRIPT=$(CURDIR)/scripts/cluster.sh \
	  CLUSTER_RESTART_POSTGRES=$$([ "$$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null && echo 1) \
	    cargo test -p server --test integration fleet:: -- --test-threads=1; \
	  $(CURDIR)/scripts/cluster.sh start $(CLUSTER_N); \
	  (cd end2end && E2E_BASE_URL=http://127.0.0.1:$(FLEET_PORT) npx playwright test --project=phone-js --grep-invert @payment); \
	  CLUSTER_PAYMENT=demo $(CURDIR)/scripts/cluster.sh start $(CLUSTER_N); \
	  cd end2end && E2E_BASE_URL=http://127.0.0.1:$(FLEET_PORT) E2E_PAY_URL=http://127.0.0.1:$(FLEET_PORT) \
	    npx playwright test --project=phone-js --grep @payment

# ---- benchmarks (not tests): ratios against a baseline measured in the same run ------
bench: site-release
	cargo bench -p server --bench store_page
	cargo bench -p server --bench nearest
	cargo bench -p server --bench ops_sync
	cargo bench -p server --bench audience

# The database work of each shopper's page at the demo's size and at a real brand's
# (1,000 stores, 5,220 products, 5,220,000 offers), printed as the ratio scale / demo.
bench-scale:
	cargo bench -p server --bench scale

# Lighthouse (mobile) on the release server: performance, accessibility, best practices
# and SEO for the main pages. Fetches lighthouse from npm on first use.
LH_PAGES := / /stores /s/sh-jingan-temple /s/sh-jingan-temple/p/HC104105 /bag \
  /checkout/sh-jingan-temple /kiosk/sh-jingan-temple/browse
LH_FLAGS := --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --disable-background-networking --disable-component-update --disable-sync --no-first-run
export LH_SUMMARY := const r = require("/tmp/cloud-store-lh.json"), a = r.audits; console.log(process.argv[1].padEnd(34), Object.values(r.categories).map(k => k.id + " " + Math.round(k.score * 100)).join("  "), " LCP", a["largest-contentful-paint"].displayValue, " TBT", a["total-blocking-time"].displayValue)
lighthouse: site-release
	cargo build --release -p server
	rm -f /tmp/cloud-store-lh.db*
	DATABASE_URL=sqlite:///tmp/cloud-store-lh.db BIND_ADDR=127.0.0.1:3500 SITE_ROOT=$(SITE) \
	  RUST_LOG=warn target/release/server & pid=$$!; trap "kill $$pid" EXIT; \
	  for i in $$(seq 50); do curl -sf http://127.0.0.1:3500/healthz >/dev/null && break; sleep 0.2; done; \
	  sid=$$(curl -s -D - -o /dev/null -d "store=sh-jingan-temple&sku=HC101101&quantity=2&back=/" \
	    http://127.0.0.1:3500/bag/add | grep -o 'sid=[^;]*'); \
	  for page in $(LH_PAGES); do \
	    CHROME_PATH=/usr/bin/chromium npx --yes lighthouse@13 "http://127.0.0.1:3500$$page" --quiet \
	      --extra-headers="{\"Cookie\": \"$$sid\"}" \
	      --form-factor=mobile --only-categories=performance,accessibility,best-practices,seo \
	      --chrome-flags="$(LH_FLAGS)" --output=json --output-path=/tmp/cloud-store-lh.json; \
	    node -e "$$LH_SUMMARY" "$$page"; \
	  done

# Product pictures composed from Fluent Emoji Flat (npm) after product_images.csv; the check
# (also run by lint) fails when a product has no picture or is drawn as something else.
ICONS := node_modules/@iconify-json/fluent-emoji-flat/icons.json
$(ICONS):
	npm install --no-audit --no-fund

images: $(ICONS)
	python3 app/src/ssr/seed/gen_product_images.py --prune

images-check: $(ICONS)
	python3 app/src/ssr/seed/test_product_images.py

.PHONY: help setup site site-release run test api-contract catalogue e2e lint bench bench-scale lighthouse images images-check \
  cluster fleet-test fuzz fuzz-short
