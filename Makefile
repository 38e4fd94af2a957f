# The society registry. `make run` serves the demo society; `make test` runs
# every test (PostgreSQL too when REGISTRY_TEST_POSTGRES names a server).

GO        ?= go
BIN       := bin/registry
DB        ?= registry.db
ADDR      ?= localhost:8080
# Packages whose code runs concurrently: also tested under the race detector.
RACE_PKGS := ./graph/... ./server/... ./registry/...

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## build the one binary, bin/registry
	$(GO) build -o $(BIN) ./cmd/registry

.PHONY: run
run: build ## build, create and seed the demo database if empty, print demo tokens, serve GraphQL and GraphiQL on localhost:8080
	./$(BIN) serve -demo -db $(DB) -addr $(ADDR)

.PHONY: seed
seed: build ## load the benchmark-shaped data into an empty database (DB=path or postgres:// DSN)
	./$(BIN) seed scale -db $(DB)

.PHONY: test
test: ## vet, check generated code, run every test (PostgreSQL when REGISTRY_TEST_POSTGRES is set), race-test the concurrent packages
	$(GO) vet ./...
	@$(MAKE) --no-print-directory check-generated
	@if [ -z "$$REGISTRY_TEST_POSTGRES" ]; then \
	  echo "NOTE: REGISTRY_TEST_POSTGRES is not set: the PostgreSQL suite is SKIPPED; only SQLite is tested."; \
	else \
	  echo "PostgreSQL suite: on (...@$${REGISTRY_TEST_POSTGRES#*@})"; \
	fi
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -race $(RACE_PKGS)

.PHONY: check-generated
check-generated: ## fail when generated ent code or migrations drift from ent/schema
	$(GO) generate ./ent
	@git diff --exit-code --stat -- ent || { echo "generated ent code is stale: run 'go generate ./ent' and commit"; exit 1; }

.PHONY: generate
generate: ## regenerate ent code from ent/schema
	$(GO) generate ./ent

.PHONY: migrations
migrations: ## write a new versioned migration for each dialect from ent/schema (NAME=short_name)
	$(GO) run ./ent/migrate/gen $(or $(NAME),changes)

.PHONY: bench
BENCH_DURATION ?= 10s
BENCH_WARMUP   ?= 2s
BENCH_CONNS    ?= 32
BENCH_ROUNDS   ?= 1
BENCH_OUT      ?= cmd/loadgen/results.md
# Rate limits off (a load generator is one client sending as fast as it
# can), every other limit on: for any server this target starts.
bench: export REGISTRY_RATE_LIMIT = false
bench: ## seed SQLite (and BENCH_POSTGRES=postgres://...), serve it with the registry and the floor (and the PostGraphile peer with BENCH_PEER=1), drive the roster and person queries into $(BENCH_OUT), then the Go micro-benchmarks
	$(GO) build -o $(BIN) ./cmd/registry
	$(GO) build -o bin/floor ./cmd/loadgen/floor
	$(GO) build -o bin/loadgen ./cmd/loadgen
	BENCH_DURATION=$(BENCH_DURATION) BENCH_WARMUP=$(BENCH_WARMUP) BENCH_CONNS=$(BENCH_CONNS) BENCH_ROUNDS=$(BENCH_ROUNDS) BENCH_OUT=$(BENCH_OUT) ./cmd/loadgen/bench.sh
	$(GO) test -run '^$$' -bench . -benchmem ./...

.PHONY: fuzz
fuzz: ## fuzz the HTTP handler with valid and hostile requests for a while (FUZZTIME=60s); go test runs its seed corpus
	$(GO) test -run '^$$' -fuzz '^FuzzHandler$$' -fuzztime $(or $(FUZZTIME),60s) ./server/

.PHONY: lint
lint: ## gofmt and vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

.PHONY: clean
clean: ## remove the binary and the demo database
	rm -rf bin $(DB) $(DB)-wal $(DB)-shm
