# The two commands: `make run` and `make test`. Each bootstraps .venv itself.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := $(VENV)/.installed-stamp
TRANSLATION_DIRS := nghedan/translations kiosk/translations sms_gateway/translations admin/translations open311/translations

.PHONY: run test install translations chromium office speech lint bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(STAMP) translations

translations: $(STAMP)
	@for d in $(TRANSLATION_DIRS); do \
	  if [ -d $$d ]; then $(BIN)/pybabel compile --statistics -d $$d 2>&1 | grep -v '^compiling' || true; fi; \
	done

run: install
	$(BIN)/nghedan db upgrade
	@if $(BIN)/nghedan db is-empty; then $(BIN)/nghedan seed-demo; fi
	@echo
	@echo "  Kiosk:        $$($(BIN)/nghedan kiosk demo-url --base-url http://127.0.0.1:$(PORT) 2>/dev/null || echo 'http://127.0.0.1:$(PORT)/kiosk/ (enroll a screen: $(BIN)/nghedan kiosk add NAME)')"
	@echo "  Admin panel:  http://127.0.0.1:$(PORT)/admin/   (demo login: admin / nghedan-demo)"
	@echo "  Health:       http://127.0.0.1:$(PORT)/healthz"
	@echo "  SMS:          texts answered and sent by a worker started beside the web server (nghedan worker; printed here until Twilio is configured)"
	@echo "  Due jobs:     dialogue invitations and reminders, every 5 minutes (nghedan jobs work)"
	@$(BIN)/nghedan kiosk qr-check | sed 's/^/  /'
	@echo
	$(BIN)/nghedan worker & worker=$$!; \
	$(BIN)/nghedan jobs work & jobs=$$!; \
	trap 'kill $$worker $$jobs 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT) "nghedan:create_app()"

# Browser tests drive Debian's Chromium; install it (and fonts with every Vietnamese letter,
# for the printed notice) once when missing. Needs root.
BROWSER_PACKAGES := chromium fonts-liberation2
chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/liberation2 ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "Missing: run 'sudo apt-get install -y $(BROWSER_PACKAGES)'" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi

# The conclusion notice's .docx is checked as a word processor lays it out: LibreOffice
# converts it to PDF and poppler reads the PDF back (tests/dialogues/test_notice_libreoffice.py
# fails, never skips, without them). Needs root once.
OFFICE_PACKAGES := libreoffice-writer-nogui poppler-utils fonts-liberation2
office:
	@if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" != 0 ]; then echo "Missing: run 'sudo apt-get install -y --no-install-recommends $(OFFICE_PACKAGES)'" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(OFFICE_PACKAGES) >/dev/null; \
	fi

# The kiosk's voice tests speak into Chromium's fake microphone: espeak-ng says a Vietnamese
# sentence into a WAV (tests/browser/kiosk/test_voice.py fails, never skips, without it).
# Needs root once.
SPEECH_PACKAGES := espeak-ng
speech:
	@if ! command -v espeak-ng >/dev/null; then \
	  if [ "$$(id -u)" != 0 ]; then echo "Missing: run 'sudo apt-get install -y --no-install-recommends $(SPEECH_PACKAGES)'" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SPEECH_PACKAGES) >/dev/null; \
	fi

# Lint first: a tree ruff refuses doesn't reach the tests.
test: install chromium office speech
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
