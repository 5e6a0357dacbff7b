#!/usr/bin/env bash
# Installs a pinned MLflow tracking server into a private virtual environment and prints the path
# of its `mlflow` executable.
#   scripts/install-mlflow.sh      MLflow 3.17.2 into .venv/mlflow   (the local server, the tests)
#   scripts/install-mlflow.sh 2    MLflow 2.22.5 into .venv/mlflow2  (the tests' 2.x server)
# SPOTLIGHT_MLFLOW_VENV=DIR installs into DIR instead (tests of this script).
#
# Idempotent and non-interactive (CI and the first tracked run call it): when the venv holds the
# pinned version and its stamp it only prints the path. Safe to run from several processes at once:
# the second waits on a lock (flock on VENV.lock) and then finds the first one's install. The stamp
# file is written last, after the server imported; a venv without it (an install killed half-way,
# the network gone) is never trusted, neither here nor by the trainer, and is made anew.
#
# Why 3.17.2: the newest MLflow 3 whose wheels install (3.18.0's mlflow-skinny 3.18.0 is not
# published). Why 2.22.5 for the 2.x line: the last 2.x release; 2.17.2's UI has its image-grid
# charts switched off, so images in the step-indexed layout showed only as loose artifacts.
# The REST API the Java client speaks (api/2.0/mlflow, api/2.0/mlflow-artifacts) is served by both.
# scripts/mlflow-constraints.txt (3.x) and scripts/mlflow2-constraints.txt (2.x) pin every
# transitive dependency to the tested set, so a later release of SQLAlchemy, numpy, pyarrow,
# Flask, ... cannot break a clean install (SQLAlchemy 2.1 breaks mlflow 2.x, which imports a pool
# class that 2.1 removed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-3}" in
  3) MLFLOW_VERSION="3.17.2"; VENV="$ROOT/.venv/mlflow";  CONSTRAINTS="$ROOT/scripts/mlflow-constraints.txt" ;;
  2) MLFLOW_VERSION="2.22.5"; VENV="$ROOT/.venv/mlflow2"; CONSTRAINTS="$ROOT/scripts/mlflow2-constraints.txt" ;;
  *) echo "install-mlflow: unknown MLflow line '$1': give 3 (default) or 2" >&2; exit 2 ;;
esac
VENV="${SPOTLIGHT_MLFLOW_VENV:-$VENV}"
MLFLOW="$VENV/bin/mlflow"
STAMP="$VENV/.spotlight-install-stamp"
PYTHON="${PYTHON:-python3}"

log() { echo "install-mlflow: $*" >&2; }

installed_version() {
  "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("mlflow"))' 2>/dev/null || true
}

# What a finished install was made from: a change of the pin or of the constraints reinstalls.
wanted_stamp() {
  echo "mlflow==$MLFLOW_VERSION"
  if [[ -f "$CONSTRAINTS" ]]; then sha256sum "$CONSTRAINTS" | cut -d' ' -f1; fi
}

is_installed() {
  [[ -x "$MLFLOW" && -f "$STAMP" && "$(cat "$STAMP")" == "$(wanted_stamp)" \
     && "$(installed_version)" == "$MLFLOW_VERSION" ]]
}

if is_installed; then
  echo "$MLFLOW"
  exit 0
fi

mkdir -p "$(dirname "$VENV")"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$VENV.lock"
  if ! flock -n 9; then
    log "another process is installing MLflow into $VENV; waiting for it"
    flock 9
  fi
  # the other process may have finished the install while this one waited
  if is_installed; then
    echo "$MLFLOW"
    exit 0
  fi
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  log "'$PYTHON' was not found. Install Python 3 with its venv module, e.g. on Debian/Ubuntu:"
  log "    sudo apt-get update && sudo apt-get install -y python3 python3-venv"
  log "or point PYTHON at an interpreter: PYTHON=/path/to/python3 $0"
  exit 1
fi
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  log "'$PYTHON' has no working venv/ensurepip module. On Debian/Ubuntu install it with:"
  log "    sudo apt-get update && sudo apt-get install -y python3-venv"
  exit 1
fi

# Until the stamp is written the venv is half-made: removed on any exit (SIGKILL aside, where the
# missing stamp makes the next run start clean).
finished=0
cleanup() { if [[ $finished == 0 ]]; then rm -rf "$VENV"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

log "creating $VENV with $("$PYTHON" --version 2>&1)"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
pip_args=(install --quiet --progress-bar off "mlflow==$MLFLOW_VERSION")
if [[ -f "$CONSTRAINTS" ]]; then
  pip_args+=(--constraint "$CONSTRAINTS")
fi
log "pip ${pip_args[*]} (a few minutes on a fresh machine)"
if ! "$VENV/bin/python" -m pip "${pip_args[@]}" >&2; then
  log "pip could not install mlflow==$MLFLOW_VERSION (is the Python package index reachable?);"
  log "the half-made $VENV is removed. Run $0 again once it is."
  exit 1
fi

if [[ "$(installed_version)" != "$MLFLOW_VERSION" ]]; then
  log "expected mlflow $MLFLOW_VERSION in $VENV but found '$(installed_version)'"
  exit 1
fi
# The server must import its whole stack (a too-new SQLAlchemy once broke this).
if ! "$VENV/bin/python" -c 'import mlflow.server, mlflow.store.tracking.sqlalchemy_store' >&2; then
  log "mlflow $MLFLOW_VERSION installed but its server does not import; see the error above"
  exit 1
fi
wanted_stamp > "$STAMP"
finished=1
echo "$MLFLOW"
