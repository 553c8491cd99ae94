#!/usr/bin/env bash
# The OpenSSH server (Debian's openssh-server) for the remoting tests, which start their own sshd daemons on loopback
# (test/remoting/sshd-lab.sh). Idempotent: does nothing when /usr/sbin/sshd is there. The package's own service is not
# started or used.
set -euo pipefail
if [ -x /usr/sbin/sshd ]; then
	echo "setup-sshd: $(/usr/sbin/sshd -V 2>&1 | head -1 || true) already installed"
	exit 0
fi
if ! command -v apt-get >/dev/null; then
	echo "setup-sshd: /usr/sbin/sshd is missing and apt-get is not available; install the OpenSSH server" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d-less containers refuse to start the service during the install; the install still completes.
apt-get install -y -qq --no-install-recommends openssh-server >/dev/null
[ -x /usr/sbin/sshd ] || { echo "setup-sshd: openssh-server installed but /usr/sbin/sshd is missing" >&2; exit 1; }
echo "setup-sshd: installed $(/usr/sbin/sshd -V 2>&1 | head -1 || true)"
