#!/usr/bin/env bash
# Refresh resources/translations/orchard_zh_CN.ts from the sources (keeps existing
# translations), after regenerating the list of core messages.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python scripts/extract_core_messages.py
.venv/bin/pyside6-lupdate -no-obsolete -target-language zh_CN $(find desktop -name "*.py" | sort) \
  -ts resources/translations/orchard_zh_CN.ts
