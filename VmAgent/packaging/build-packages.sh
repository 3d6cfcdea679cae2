#!/usr/bin/env bash
# Packs the published agents into a Linux tarball, a Windows zip and an ISO holding both.
# usage: build-packages.sh <out-dir> [ca.pem]   (out-dir holds linux-x64/ and win-x64/ from dotnet publish)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$1" && pwd)
ca=${2:-}
name=agents-vm-agent
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

lin="$stage/iso/linux/$name"
win="$stage/iso/windows"
mkdir -p "$lin" "$win"
cp "$out/linux-x64/$name" "$here/linux/install.sh" "$here/linux/$name.service" "$here/README.txt" "$lin/"
cp "$here/config/agent.json.sample" "$here/config/policy.json.sample" "$lin/"
cp "$out/win-x64/$name.exe" "$here/windows/install-service.ps1" "$here/README.txt" "$win/"
cp "$here/config/policy.json.sample" "$win/"
# the Windows sample names Windows paths
sed -e 's|/var/lib/agents-vm-agent|C:\\\\ProgramData\\\\AgentsVmAgent\\\\data|' \
    -e 's|/etc/agents-vm-agent/|C:\\\\ProgramData\\\\AgentsVmAgent\\\\|' \
    -e 's|/var/lib/cloud/instance/user-data.txt|C:\\\\ProgramData\\\\AgentsVmAgent\\\\user-data.txt|' \
    "$here/config/agent.json.sample" > "$win/agent.json.sample"
if [ -n "$ca" ]; then cp "$ca" "$lin/ca.pem"; cp "$ca" "$win/ca.pem"; fi
chmod 0755 "$lin/$name" "$lin/install.sh"

tar -C "$stage/iso/linux" --owner=0 --group=0 -czf "$out/$name-linux-x64.tar.gz" "$name"
(cd "$win" && python3 -m zipfile -c "$out/$name-win-x64.zip" ./*)
cp "$out/$name-linux-x64.tar.gz" "$stage/iso/linux/"
cp "$here/README.txt" "$stage/iso/"

iso="$out/$name.iso"
rm -f "$iso"
if command -v xorriso >/dev/null; then
  xorriso -as mkisofs -quiet -R -J -joliet-long -V AGENTS_VM_AGENT -o "$iso" "$stage/iso"
elif command -v genisoimage >/dev/null; then
  genisoimage -quiet -R -J -joliet-long -V AGENTS_VM_AGENT -o "$iso" "$stage/iso"
else
  echo "neither xorriso nor genisoimage is installed (apt-get install xorriso)" >&2; exit 1
fi
ls -l "$out/$name-linux-x64.tar.gz" "$out/$name-win-x64.zip" "$iso" | awk '{print $5, $9}'
