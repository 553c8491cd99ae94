#!/usr/bin/env bash
# Installs what the PowerShell tests need into .tools/ (git-ignored), idempotently:
#   PowerShell 7 as the .NET tool "PowerShell" (pinned), and the Pester module from its NuGet package.
# Prints two lines: the pwsh path, then the Pester module manifest path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
pwsh_version=7.6.9
pester_version=5.7.1
pwsh="$tools/pwsh/pwsh"

if ! [ -x "$pwsh" ] || [ "$("$pwsh" -NoProfile -NoLogo -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null)" != "$pwsh_version" ]; then
	command -v dotnet >/dev/null || { echo "setup-powershell: the .NET SDK (dotnet) is needed to install PowerShell $pwsh_version" >&2; exit 1; }
	rm -rf "$tools/pwsh"
	DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet tool install PowerShell --version "$pwsh_version" --tool-path "$tools/pwsh" >&2
fi

pester_dir="$tools/modules/Pester/$pester_version"
if ! [ -f "$pester_dir/Pester.psd1" ]; then
	# PackageDownload fetches the .nupkg through the ordinary NuGet client without building anything.
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	cat >"$work/fetch.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$pester_version]" /></ItemGroup>
</Project>
XML
	DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet restore "$work/fetch.csproj" --packages "$work/packages" >&2
	mkdir -p "$pester_dir"
	cp -R "$work/packages/pester/$pester_version/tools/." "$pester_dir/"
fi
echo "$pwsh"
echo "$pester_dir/Pester.psd1"
