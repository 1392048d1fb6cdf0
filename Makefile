# The README's two commands are `make demo` and `make test`; both set everything up first.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-long setup lint typecheck unit conformance bench clean

demo: setup
	$(BIN)/station demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

setup:
	@./scripts/bootstrap.sh

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

# The crash-loop tests at full length (200 kill -9 rounds each instead of 20).
test-long: setup
	STATION_LONG_TESTS=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

unit: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# Score `station verify --jsonl` with the shared EU DCC conformance scorer (needs ../shared).
conformance: setup
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python ../shared/tools/dgc_conformance.py \
	  --cmd 'station verify --jsonl' ../shared/testdata/dgc-testdata

bench: setup
	$(BIN)/python bench/bench_verify.py
	$(BIN)/python bench/bench_schema.py
	$(BIN)/python bench/bench_scan.py
	$(BIN)/python bench/bench_certlogic.py
	$(BIN)/python bench/bench_rules.py
	$(BIN)/python bench/bench_cache.py
	$(BIN)/python bench/bench_sync.py
	$(BIN)/python bench/bench_drl.py
	$(BIN)/python bench/bench_entrylog.py
	$(BIN)/python bench/bench_upload.py
	$(BIN)/python bench/bench_kiosk.py
	for family in shc nzcp ddcc vds divoc vn_qr; do $(BIN)/python bench/bench_$$family.py; done
	$(BIN)/python bench/bench_gui.py

# Screenshots of the station app (kiosk 800x480 and 1280x800, laptop) into docs/screenshots/.
.PHONY: screenshots
screenshots: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

# The suite with the library versions a bookworm Pi gets (NumPy 1.24, OpenCV 4.11, PySide6
# 6.8.0.2), and on Debian 12 arm64 under qemu-user (root; firmware_notes/install.md "Checked").
.PHONY: test-pi-versions check-arm64
test-pi-versions: setup
	./scripts/pi_versions.sh

check-arm64: setup
	./scripts/arm64_check.sh

# Coverage-guided fuzzing (reliability plan T36, fuzz/README.md): every harness for 180 s, two
# at a time; FUZZ_SECONDS=3600 for the nightly budget. Needs the fuzz extra (atheris).
.PHONY: fuzz fuzz-coverage
fuzz: setup
	$(BIN)/pip install --quiet -e '.[fuzz]'
	$(BIN)/python -m fuzz.run --seconds $(or $(FUZZ_SECONDS),180)

fuzz-coverage: setup
	$(BIN)/pip install --quiet -e '.[fuzz]'
	$(BIN)/python -m fuzz.corpus_coverage

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The virtual-machine check (scripts/vm/, firmware_notes/README.md "What was tested where"):
# boots Debian 12 in qemu, installs the station as firmware_notes says and checks the webcam
# path, the units under systemd, the doctor and the LUKS partition. Needs root and qemu;
# takes 15 min to over an hour; never part of `make test`.
VM_CACHE ?= $(or $(STATION_VM_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/checkpoint-station-vm)
.PHONY: test-vm
test-vm: setup
	-$(BIN)/python scripts/vm/run_vm_check.py
	STATION_VM_TESTS=1 STATION_VM_RESULTS=$(VM_CACHE)/runs/latest/results \
	  QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -p no:randomly tests/vm
