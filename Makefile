# Two commands: `make run` starts everything with demo data; `make test` runs lint, types and tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
BUN_VERSION := 1.4.4
TORCH_VERSION := 2.13.0
BUN_DIR := tools/node_modules/@oven/bun-linux-x64/bin
OCR_LANGS := eng chi-sim chi-tra jpn kor deu fra spa por ita ind vie tha ara
APT_PACKAGES := chromium libimage-exiftool-perl fonts-noto-cjk fonts-dejavu-core fonts-thai-tlwg tesseract-ocr \
	$(addprefix tesseract-ocr-,$(OCR_LANGS))
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)

export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null)
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := 0
export HF_HUB_OFFLINE := 1
export PATH := $(CURDIR)/$(BUN_DIR):$(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test test-fast install system-deps lint typecheck pytest bench clean

run: install
	$(VENV)/bin/dam up

test: install lint typecheck pytest

install: system-deps $(STAMP) $(BUN_DIR)/bun

system-deps:
	@missing=""; \
	command -v exiftool >/dev/null || missing="$$missing libimage-exiftool-perl"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing="$$missing fonts-noto-cjk"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	fc-list 2>/dev/null | grep -qi 'tlwg\|Noto Sans Thai' || missing="$$missing fonts-thai-tlwg"; \
	command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	for lang in $(subst -,_,$(OCR_LANGS)); do \
	  [ -e /usr/share/tesseract-ocr/5/tessdata/$$lang.traineddata ] || missing="$$missing tessdata-$$lang"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	  else \
	    echo "Missing system packages. Run as root:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y $(APT_PACKAGES)"; exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned to the CPU wheel on this machine's disk; a later resolve would pull CUDA.
	$(PY) -m pip install -q torch==$(TORCH_VERSION)
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

$(BUN_DIR)/bun:
	npm i --silent --no-audit --no-fund --ignore-scripts --prefix tools @oven/bun-linux-x64@$(BUN_VERSION)
	test -x $@

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	$(VENV)/bin/mypy dam_app tests

pytest:
	$(VENV)/bin/pytest -q

# The tests that need no browser, web server or worker (the `slow` marker): a minute or two, not eight.
test-fast: install
	$(VENV)/bin/pytest -q -m "not slow"

bench: install
	$(PY) benchmarks/ingest.py --files 1000

clean:
	rm -rf $(VENV) tools .web var/test
