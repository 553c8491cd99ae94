#!/usr/bin/env bash
# Test servers for PowerShell remoting over SSH, on loopback: one sshd per server, each with its own config, host key
# and environment, whose "powershell" subsystem is the project's pwsh with the fake Windows host preloaded for that
# server's scenario (PAD_REMOTE_PRELOAD, read by the remote part of the entry script). Also a port that accepts TCP
# and never answers. The system's own sshd is never touched.
#
#   sshd-lab.sh start DIR NAME=PORT=SCENARIO_JSON... [blackhole=PORT]   starts them, waits until each port listens
#   sshd-lab.sh stop DIR                                                 stops what DIR's start started
#
# DIR gets keys/ (client = the key the tests log in with, wrong = a key no server accepts) and one folder per server.
# Every path given to sshd is absolute: it re-executes itself per connection, and a relative path breaks only then.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: sshd-lab.sh start|stop DIR [NAME=PORT=SCENARIO ...]" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
shift 2

stop() {
	for pidfile in "$dir"/*/daemon.pid; do
		[ -f "$pidfile" ] || continue
		kill "$(cat "$pidfile")" 2>/dev/null || true
		rm -f "$pidfile"
	done
}

# The real pwsh behind the .NET tool's shim (a shim killed alone would leave its child serving the session).
# PAD_PWSH names the shim when this runs from a copy of the repository without .tools/ (mutation testing's sandbox).
real_pwsh() {
	local shim="${PAD_PWSH:-$root/.tools/pwsh/pwsh}" dll dotnet
	dll=$(ls -d "$(dirname "$shim")"/.store/powershell/*/powershell/*/tools/*/any/unix/pwsh.dll 2>/dev/null | head -1 || true)
	dotnet=$(readlink -f "$(command -v dotnet)")
	if [ -n "$dll" ] && [ -n "$dotnet" ]; then echo "$dotnet $dll"; else echo "$shim"; fi
}

wait_port() { # port
	for _ in $(seq 1 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	echo "sshd-lab: nothing listens on 127.0.0.1:$1" >&2
	return 1
}

case "$cmd" in
stop)
	stop
	exit 0
	;;
start) ;;
*)
	echo "sshd-lab: unknown command $cmd" >&2
	exit 2
	;;
esac

[ -x /usr/sbin/sshd ] || { echo "sshd-lab: /usr/sbin/sshd is missing (scripts/setup-sshd.sh installs it)" >&2; exit 2; }
stop
# sshd insists on its privilege-separation folder.
mkdir -p /run/sshd && chmod 755 /run/sshd
keys="$dir/keys"
mkdir -p "$keys"
for k in client wrong host_ed25519; do
	[ -f "$keys/$k" ] || ssh-keygen -q -t ed25519 -N '' -C "pad-test-$k" -f "$keys/$k"
done
cp "$keys/client.pub" "$keys/authorized_keys"
pwsh=$(real_pwsh)
module="$root/test/fakeHost/FakeWindowsHost.psm1"
ports=()
for spec in "$@"; do
	name=${spec%%=*}
	rest=${spec#*=}
	if [ "$name" = blackhole ]; then
		d="$dir/blackhole"
		mkdir -p "$d"
		# Accepts every connection and never writes a byte: what a dropped or half-open path looks like to a client.
		node -e "require('net').createServer(() => {}).listen(${rest}, '127.0.0.1')" </dev/null >/dev/null 2>"$d/stderr" &
		echo $! >"$d/daemon.pid"
		ports+=("$rest")
		continue
	fi
	port=${rest%%=*}
	scenario=${rest#*=}
	d="$dir/$name"
	mkdir -p "$d"
	cat >"$d/sshd_config" <<CONFIG
ListenAddress 127.0.0.1
Port $port
HostKey $keys/host_ed25519
PidFile $d/sshd.pid
AuthorizedKeysFile $keys/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
X11Forwarding no
PrintMotd no
MaxStartups 64:30:128
SetEnv PAD_FAKE_HOST_SCENARIO=$scenario PAD_REMOTE_PRELOAD=$module POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off
Subsystem powershell $pwsh -sshs -NoLogo -NoProfile
CONFIG
	/usr/sbin/sshd -t -f "$d/sshd_config"
	# Its own stdio: a daemon holding the caller's pipe would keep the caller (a test, node) waiting for good.
	/usr/sbin/sshd -D -f "$d/sshd_config" -E "$d/sshd.log" </dev/null >/dev/null 2>>"$d/stderr" &
	echo $! >"$d/daemon.pid"
	ports+=("$port")
done
for p in "${ports[@]}"; do wait_port "$p"; done
echo "sshd-lab: started ${#ports[@]} listener(s) in $dir"
