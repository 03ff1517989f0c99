#!/usr/bin/env bash
# Set up with the development, evaluation and local-model extras (llama.cpp builds from source
# once, in about 6 minutes), then lint, type-check and run the whole test suite (which holds
# the evaluation sets to eval/gate.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=dev,eval,llm bash scripts/setup.sh
. .venv/bin/activate
# axe-core, for the accessibility checks of the browser tests: from npm, once, outside the
# checkout. Without npm those tests skip (unless ASSISTANT_REQUIRE_AXE=1, as in CI).
AXE_VERSION=4.14.1
axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/call-assistant/axe-core-$AXE_VERSION"
if [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ] && command -v npm >/dev/null; then
    echo "setup: axe-core $AXE_VERSION from npm"
    npm install --prefix "$axe_dir" --no-save --no-audit --no-fund --loglevel=error \
        "axe-core@$AXE_VERSION" >/dev/null
fi
export ASSISTANT_AXE_JS="${ASSISTANT_AXE_JS:-$axe_dir/node_modules/axe-core/axe.min.js}"
ruff check .
ruff format --check .
mypy
python -m pytest "$@"
