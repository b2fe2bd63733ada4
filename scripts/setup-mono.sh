#!/usr/bin/env bash
# Installs the second reference client for nuspec packing: NuGet.exe 5.8 (npm package nuget-exe)
# under Debian's Mono (../shared/docs/real-components.md section 4). Idempotent.
set -euo pipefail
CACHE="${NUGET_PUBLISHER_CACHE:-$HOME/.cache/nuget-publisher}"
if ! command -v mono >/dev/null 2>&1 || ! dpkg -s libmono-system-xml-linq4.0-cil >/dev/null 2>&1; then
  echo "[setup] apt-get install mono (for NuGet.exe)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends mono-runtime \
    libmono-microsoft-csharp4.0-cil libmono-microsoft-build-utilities-v4.0-4.0-cil \
    libmono-system-componentmodel-composition4.0-cil libmono-system-componentmodel-dataannotations4.0-cil \
    libmono-system-data4.0-cil libmono-system-data-services-client4.0-cil libmono-system-io-compression4.0-cil \
    libmono-system-net-http4.0-cil libmono-system-runtime-serialization4.0-cil libmono-system-servicemodel4.0a-cil \
    libmono-system-xml-linq4.0-cil libmono-windowsbase4.0-cil >/dev/null
fi
DIR="$CACHE/nuget-exe-5.8.0"
if [ ! -f "$DIR/node_modules/nuget-exe/nuget-5.8.0.exe" ]; then
  mkdir -p "$DIR"
  (cd "$DIR" && echo '{"name":"nuget-exe-cache","private":true}' > package.json && npm install --no-audit --no-fund --loglevel=error nuget-exe@5.8.0 >/dev/null)
fi
echo "[setup] NuGet.exe at $DIR/node_modules/nuget-exe/nuget-5.8.0.exe ($(mono --version | head -1))"
