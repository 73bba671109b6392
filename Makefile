# The two commands of the README. Everything else is a step they use.
#   make run    install what is missing, build (Release), serve with demo data
#   make test   install what is missing, build (ASan+UBSan), run every test

SHELL := /bin/bash
PORT ?= 8080
DB ?= sqlite:var/spire.db
JOBS ?= $(shell nproc)

.PHONY: run test deps assets release test-build unit integration e2e fuzz bench clean

deps:
	@scripts/install-deps

assets: deps
	@scripts/build-assets

release: assets
	cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPIRE_TESTS=OFF
	cmake --build build/release --target spire -j $(JOBS)

# First run: a database with the demo organisations and users (printed with
# their password); later runs keep whatever is in var/spire.db.
run: release
	@if [ ! -f var/spire.db ]; then build/release/spire demo --db $(DB); \
	else echo "spire: using existing var/spire.db (demo logins: see README)"; fi
	build/release/spire serve --db $(DB) --port $(PORT)

test-build: assets
	cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSPIRE_SANITIZE=ON
	cmake --build build/test -j $(JOBS)

# Unit, integration (SQLite and a throwaway PostgreSQL), browser tests, then
# the fuzzers: corpus replay plus a short bounded fuzzing run each.
test: test-build
	ctest --test-dir build/test --output-on-failure -j $(JOBS)
	scripts/fuzz

fuzz: deps
	scripts/fuzz

bench: release
	bench/http.sh

clean:
	rm -rf build
