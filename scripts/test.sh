#!/usr/bin/env bash
# The test command: installs what the tests need and is missing, then runs every test (`dotnet test`).
#   Debian packages: chromium (figures as PNG, the report in a browser), jupyter-nbconvert and python3-nbclient
#   (notebooks under Jupyter), python3-torch (PyTorch parity) and libopenblas0-pthread (its BLAS: Debian's reference BLAS
#   makes each parity run take minutes), binutils (readelf, the native-library check), bubblewrap (the grader's sandbox);
#   the .NET tool Microsoft.dotnet-interactive (the Jupyter kernel). Where apt-get cannot be used, it names what to
#   install and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export PATH="$HOME/.dotnet/tools:$PATH"

need=()
command -v readelf >/dev/null || need+=(binutils)
command -v chromium >/dev/null || need+=(chromium)
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v jupyter-nbconvert >/dev/null || need+=(jupyter-nbconvert)
/usr/bin/python3 -c "import nbclient" 2>/dev/null || need+=(python3-nbclient)
/usr/bin/python3 -c "import torch" 2>/dev/null || need+=(python3-torch)
compgen -G "/usr/lib/*/openblas-pthread/libblas.so.3" >/dev/null || need+=(libopenblas0-pthread)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${need[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then
    echo "Installing Debian packages: ${need[*]}"
    sudo apt-get update -qq
    sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing: ${need[*]} (Debian package names). Install them with your package manager, then run this again." >&2
    exit 1
  fi
fi

if ! dotnet tool list -g | grep -qi '^microsoft.dotnet-interactive '; then
  echo "Installing the .NET tool Microsoft.dotnet-interactive (the Jupyter kernel)"
  dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001 >/dev/null
fi
dotnet tool restore >/dev/null   # dotnet-repl, the other notebook client

dotnet test "$@"
