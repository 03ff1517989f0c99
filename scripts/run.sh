#!/usr/bin/env bash
# Set up, build or update the index, then serve the API and the widget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
assistant index
exec assistant serve "$@"
