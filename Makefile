# The README's two commands (run, test) and a few helpers. Everything goes through CMake presets.
PRESET ?= dev
BUILD  := build/$(PRESET)
JOBS   ?= $(shell nproc)
SHELL  := /bin/bash
.SHELLFLAGS := -o pipefail -c

.PHONY: run test deps build bench format clean

run: build
	$(BUILD)/app/trainscope --demo

# Benchmarks first (serially, their figures printed), then every unit test.
test: build
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen ctest -L bench --output-on-failure --verbose | grep -vE '^[0-9]+: (PASS|Config|\*\*\*)'
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen ctest -LE bench --output-on-failure -j $(JOBS)

deps:
	bash packaging/install-deps.sh

build: deps
	@[ -f $(BUILD)/build.ninja ] || cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j $(JOBS)

bench: build
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen ctest -L bench --verbose

format:
	git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf build
