#!/usr/bin/env bash
# Set up with the development, evaluation and local-model extras (llama.cpp builds from source
# once, in about 6 minutes), then lint, type-check and run the whole test suite (which holds
# the evaluation sets to eval/gate.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=dev,eval,llm bash scripts/setup.sh
. .venv/bin/activate
ruff check .
ruff format --check .
mypy
python -m pytest "$@"
