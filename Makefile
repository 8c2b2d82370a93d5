# The verbs a person types. `make run` and `make test` install what they need and start what they
# use: nothing has to be running beforehand.

SHELL := /bin/bash
.DEFAULT_GOAL := help

export PI_LOCAL_DIR ?= $(CURDIR)/.local
export PGPORT ?= 55432
export SQS_PORT ?= 4566
export SIMULATOR_PORT ?= 8090
export PI_TEST_DATABASE_URL ?= postgres://delius:delius@127.0.0.1:$(PGPORT)/postgres
export PI_TEST_SQS_ENDPOINT ?= http://127.0.0.1:$(SQS_PORT)
export LDAP_PORT ?= 3389
export PI_TEST_LDAP_URL ?= ldap://127.0.0.1:$(LDAP_PORT)
CARGO ?= cargo
LOCAL_STACK = $(CARGO) run --quiet -p local-stack --

.PHONY: help
help: ## this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.PHONY: run
run: ## start PostgreSQL, the SQS/SNS emulator, the simulator and every service (in the background)
	@scripts/run-local.sh start

.PHONY: stop
stop: ## stop everything `make run` started
	@scripts/run-local.sh stop

.PHONY: status
status: ## what is running
	@scripts/run-local.sh status

.PHONY: publish
publish: ## publish an example message: make publish MESSAGE=crates/local-stack/messages/<service>/<file>.json
	@test -n "$(MESSAGE)" || { echo "usage: make publish MESSAGE=path/to/message.json"; exit 2; }
	@$(LOCAL_STACK) publish $(MESSAGE)

.PHONY: queues
queues: ## message counts per service queue and DLQ
	@$(LOCAL_STACK) queues

.PHONY: logs
logs: ## follow a service's log: make logs SERVICE=<service>
	@test -n "$(SERVICE)" || { echo "usage: make logs SERVICE=<service>|simulator"; exit 2; }
	@tail -n 100 -f $(PI_LOCAL_DIR)/logs/$(SERVICE).log

.PHONY: psql
psql: ## a psql prompt on the local Delius database
	@psql "$$(scripts/postgres.sh url)"

.PHONY: infra
infra: ## start only PostgreSQL, the SQS/SNS emulator and LDAP (what the tests use)
	@scripts/postgres.sh start
	@scripts/sqs-emulator.sh start
	@scripts/ldap.sh start

.PHONY: test
test: infra lint ## the full test suite: format, lint, every crate's tests, charts
	$(CARGO) test --workspace
	scripts/lint-charts.sh

.PHONY: lint
lint: ## rustfmt and clippy (warnings are errors)
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

.PHONY: fmt
fmt: ## format the code
	$(CARGO) fmt --all

.PHONY: charts
charts: ## helm lint + template every chart
	scripts/lint-charts.sh

.PHONY: e2e
e2e: infra ## black-box tests: the built binaries against the local stack
	$(CARGO) test -p e2e -- --test-threads=1

.PHONY: reliability
reliability: infra ## the fault suite: services under faults, printed as a table (case, sent, rows, DLQ)
	$(CARGO) test -p e2e --test reliability -- --nocapture --test-threads=1

.PHONY: bench
bench: infra ## throughput benchmarks and the soak; results in target/bench/
	$(CARGO) run --release -p bench
	$(CARGO) run --release -p bench --bin soak
	$(CARGO) bench -p prison-case-notes-to-probation --bench throughput
	$(CARGO) bench -p prison-custody-status-to-delius --bench throughput
	$(CARGO) bench -p manage-pom-cases-and-delius --bench throughput
	$(CARGO) bench -p refer-and-monitor-and-delius --bench throughput
	$(CARGO) bench -p workforce-allocations-to-delius --bench throughput

.PHONY: clean-local
clean-local: stop ## stop everything and delete the local database and logs
	scripts/postgres.sh destroy
	rm -rf $(PI_LOCAL_DIR)
