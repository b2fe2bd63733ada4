#!/usr/bin/env bash
# Installs Debian's squid for the proxy tests (test/helpers/squid.ts starts its own instance on a
# loopback port with its own configuration; the system service is not used). Idempotent.
set -euo pipefail
if [ ! -x /usr/sbin/squid ] || [ ! -x /usr/lib/squid/basic_ncsa_auth ]; then
  echo "[setup] apt-get install squid (for the proxy tests)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends squid openssl >/dev/null
fi
echo "[setup] squid at /usr/sbin/squid ($(/usr/sbin/squid -v | head -1))"
