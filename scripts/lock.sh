#!/usr/bin/env bash
# Refresh requirements.lock: every dependency's exact version, as a fresh set-up with all the
# extras installs them today. Set-up, CI and the image install with `-c requirements.lock`, so
# that a dependency's new release never changes a build unannounced; run this to take them.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
python3 -m venv "$scratch/venv"
# shellcheck disable=SC1091
. "$scratch/venv/bin/activate"
export PIP_DISABLE_PIP_VERSION_CHECK=1
echo "lock: resolving every dependency in a scratch environment (several minutes)" >&2
pip install --quiet torch==2.13.0
pip install --quiet ".[dev,eval,llm]"
{
    echo "# Every dependency's exact version (scripts/lock.sh writes this file; do not edit)."
    echo "# Used as pip constraints by scripts/setup.sh, .ci/run (through it) and the Dockerfile."
    pip freeze --exclude-editable | grep -vi '^call-assistant'
} > requirements.lock
echo "lock: wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)" >&2
