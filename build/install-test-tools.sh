#!/usr/bin/env bash
# Installs what the Pester tier needs into .tools/ (git-ignored): PowerShell as a .NET tool and Pester 5.
# Without them the Pester tier is skipped, and every other test still runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"
if [ ! -x "$tools/pwsh/pwsh" ]; then
  dotnet tool install --tool-path "$tools/pwsh" PowerShell --version 7.6.9
fi
if [ ! -f "$tools/packages/pester/5.7.1/tools/Pester.psd1" ]; then
  dotnet restore "$root/build/TestTools.proj" --packages "$tools/packages" --nologo -v quiet
fi
"$tools/pwsh/pwsh" -NoProfile -NonInteractive -Command '"PowerShell $($PSVersionTable.PSVersion) ready for the Pester tier"'
