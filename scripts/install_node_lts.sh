#!/usr/bin/env bash
# Install the Node.js line node-service runs on (its node_version, the current Active LTS)
# for the test suite, from the npm registry's node-linux-<arch> package, which holds the
# official binary. npm checks the tarball against the registry's sha512 integrity.
#
#   bash scripts/install_node_lts.sh          # prints the bin directory to put first on PATH
#
# The prefix is $PLATCTL_NODE_HOME, else /opt/platctl-ci/node-<major>; the tests look there
# (tests/test_node_service_app.py) and run npm and node from it.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(python3 -c 'import json; print(json.load(open("golden_paths/node-service/cookiecutter.json"))["node_version"])')"
major="${version%%.*}"
prefix="${PLATCTL_NODE_HOME:-/opt/platctl-ci/node-$major}"

if [ -x "$prefix/bin/node" ] && [ "$("$prefix/bin/node" -p 'process.versions.node')" = "$version" ]; then
  echo "$prefix/bin"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "no node-linux package for $(uname -m)" >&2; exit 2 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# npm pack verifies the download against the registry's integrity hash.
(cd "$work" && npm pack --silent "node-linux-$arch@$version" >/dev/null)
mkdir -p "$prefix"
tar -xzf "$work"/node-linux-"$arch"-*.tgz -C "$prefix" --strip-components=1 package/bin
"$prefix/bin/node" --version >&2
echo "$prefix/bin"
