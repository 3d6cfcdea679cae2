#!/usr/bin/env bash
# Packs the published agents into one tarball per Linux architecture, one zip per Windows
# architecture, and an ISO holding all of them (its install scripts pick the machine's own).
# usage: build-packages.sh <out-dir> [ca.pem]
#   out-dir holds linux-x64/, linux-arm64/ (agents-vm-agent) and win-x64/, win-x86/ (agents-vm-agent.exe)
# Each binary's header is checked against its target first: this machine runs only linux-x64, so
# the header is what shows the others were built for the right CPU.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$1" && pwd)
ca=${2:-}
name=agents-vm-agent
linux_rids=(linux-x64 linux-arm64)
windows_rids=(win-x64 win-x86)

die() { echo "build-packages.sh: $*" >&2; exit 1; }

# little-endian unsigned integer of $3 bytes at offset $2 of file $1
le() { od -An -tu1 -j"$2" -N"$3" "$1" | awk '{for (i = NF; i >= 1; i--) v = v * 256 + $i} END {print v + 0}'; }

# the CPU a binary was built for, from its ELF or PE header: x64, arm64, x86 or unknown
machine_of() {
  local file=$1 magic
  magic=$(od -An -tx1 -N4 "$file" | tr -d ' \n')
  if [ "$magic" = 7f454c46 ]; then
    # ELF: class at 4 (2 = 64-bit), e_machine at 18 (62 x86-64, 183 AArch64)
    case "$(le "$file" 4 1):$(le "$file" 18 2)" in
      2:62) echo x64 ;; 2:183) echo arm64 ;; *) echo unknown ;;
    esac
  elif [ "${magic:0:4}" = 4d5a ]; then
    # PE: the header's offset at 0x3c, then "PE\0\0" and the machine (0x8664 x64, 0x14c x86)
    local pe; pe=$(le "$file" 60 4)
    [ "$(od -An -tx1 -j"$pe" -N4 "$file" | tr -d ' \n')" = 50450000 ] || { echo unknown; return; }
    case "$(le "$file" $((pe + 4)) 2)" in
      34404) echo x64 ;; 332) echo x86 ;; *) echo unknown ;;
    esac
  else
    echo unknown
  fi
}

check() {
  local rid=$1 file=$2 want=${1#*-} got
  [ -f "$file" ] || die "$file is missing (dotnet publish -r $rid first, or ./run publish-agent)"
  got=$(machine_of "$file")
  # an ELF named .exe, or a PE in a linux folder, is as wrong as the wrong CPU
  case "$rid:$(od -An -tx1 -N1 "$file" | tr -d ' ')" in linux-*:7f|win-*:4d) ;; *) got="another OS" ;; esac
  [ "$got" = "$want" ] || die "$file is built for '$got', not for $rid"
  echo "$rid: $(wc -c < "$file") bytes, header says $got"
}

for rid in "${linux_rids[@]}"; do check "$rid" "$out/$rid/$name"; done
for rid in "${windows_rids[@]}"; do check "$rid" "$out/$rid/$name.exe"; done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# a Linux folder: the install script, its unit and samples, and one <arch>/ folder per binary
linux_folder() {
  local dir=$1; shift
  mkdir -p "$dir"
  cp "$here/linux/install.sh" "$here/linux/$name.service" "$here/linux/privileged.conf" "$here/README.txt" "$here/config/agent.json.sample" "$here/config/policy.json.sample" "$dir/"
  [ -z "$ca" ] || cp "$ca" "$dir/ca.pem"
  chmod 0755 "$dir/install.sh"
  for rid in "$@"; do
    mkdir -p "$dir/${rid#linux-}"
    cp "$out/$rid/$name" "$dir/${rid#linux-}/$name"
    chmod 0755 "$dir/${rid#linux-}/$name"
  done
}

windows_folder() {
  local dir=$1; shift
  mkdir -p "$dir"
  cp "$here/windows/install-service.ps1" "$here/README.txt" "$here/config/policy.json.sample" "$dir/"
  # the Windows sample names Windows paths
  sed -e 's|/var/lib/agents-vm-agent|C:\\\\ProgramData\\\\AgentsVmAgent\\\\data|' \
      -e 's|/etc/agents-vm-agent/|C:\\\\ProgramData\\\\AgentsVmAgent\\\\|' \
      -e 's|/var/lib/cloud/instance/user-data.txt|C:\\\\ProgramData\\\\AgentsVmAgent\\\\user-data.txt|' \
      "$here/config/agent.json.sample" > "$dir/agent.json.sample"
  [ -z "$ca" ] || cp "$ca" "$dir/ca.pem"
  for rid in "$@"; do
    mkdir -p "$dir/${rid#win-}"
    cp "$out/$rid/$name.exe" "$dir/${rid#win-}/$name.exe"
  done
}

packages=()
for rid in "${linux_rids[@]}"; do
  linux_folder "$stage/$rid/$name" "$rid"
  tar -C "$stage/$rid" --owner=0 --group=0 -czf "$out/$name-$rid.tar.gz" "$name"
  packages+=("$out/$name-$rid.tar.gz")
done
# a Debian package per Linux architecture, built with dpkg-deb: the binary in /usr/sbin, the unit
# (hardened, not enabled: the router and the token come first), the samples and the privileged-mode
# drop-in under /usr/share; settings stay the operator's in /etc/agents-vm-agent
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$here/../Agents.VmAgent/Agents.VmAgent.csproj")
deb_package() {
  local rid=$1 arch=$2 root="$stage/deb-$1"
  install -D -m 0755 "$out/$rid/$name" "$root/usr/sbin/$name"
  mkdir -p "$root/lib/systemd/system"
  sed 's|/usr/local/sbin/|/usr/sbin/|g' "$here/linux/$name.service" > "$root/lib/systemd/system/$name.service"
  install -D -m 0644 "$here/linux/privileged.conf" "$root/usr/share/$name/privileged.conf"
  install -D -m 0644 "$here/config/agent.json.sample" "$root/usr/share/$name/agent.json.sample"
  install -D -m 0644 "$here/config/policy.json.sample" "$root/usr/share/$name/policy.json.sample"
  install -D -m 0644 "$here/README.txt" "$root/usr/share/doc/$name/README.txt"
  [ -z "$ca" ] || install -D -m 0644 "$ca" "$root/usr/share/$name/ca.pem"
  mkdir -p "$root/DEBIAN"
  cat > "$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: Agents Framework <agents@localhost>
Section: admin
Priority: optional
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Description: Agents Framework VM agent
 Connects the VM to its virtual router over mutual TLS and runs the commands the
 cloud sends it (password and SSH key resets, approved recipes). Configure
 /etc/agents-vm-agent/agent.json and the enrollment token, then
 systemctl enable --now $name.
CONTROL
  cat > "$root/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  install -d -m 0700 /etc/agents-vm-agent /var/lib/agents-vm-agent
  if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
fi
POSTINST
  cat > "$root/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
  systemctl disable --now agents-vm-agent.service || true
fi
PRERM
  cat > "$root/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
if [ "$1" = purge ]; then rm -rf /etc/agents-vm-agent /var/lib/agents-vm-agent; fi
POSTRM
  chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$out/${name}_${version}_$arch.deb" >/dev/null
  packages+=("$out/${name}_${version}_$arch.deb")
}
command -v dpkg-deb >/dev/null || die "dpkg-deb is not installed (apt-get install dpkg)"
deb_package linux-x64 amd64
deb_package linux-arm64 arm64

for rid in "${windows_rids[@]}"; do
  windows_folder "$stage/$rid" "$rid"
  rm -f "$out/$name-$rid.zip"
  (cd "$stage/$rid" && python3 -m zipfile -c "$out/$name-$rid.zip" ./*)
  packages+=("$out/$name-$rid.zip")
done

iso_root="$stage/iso"
linux_folder "$iso_root/linux/$name" "${linux_rids[@]}"
windows_folder "$iso_root/windows" "${windows_rids[@]}"
for rid in "${linux_rids[@]}"; do cp "$out/$name-$rid.tar.gz" "$iso_root/linux/"; done
cp "$here/README.txt" "$iso_root/"

iso="$out/$name.iso"
rm -f "$iso"
if command -v xorriso >/dev/null; then
  xorriso -as mkisofs -quiet -R -J -joliet-long -V AGENTS_VM_AGENT -o "$iso" "$iso_root"
elif command -v genisoimage >/dev/null; then
  genisoimage -quiet -R -J -joliet-long -V AGENTS_VM_AGENT -o "$iso" "$iso_root"
else
  die "neither xorriso nor genisoimage is installed (apt-get install xorriso)"
fi
for file in "${packages[@]}" "$iso"; do echo "$(wc -c < "$file") $file"; done
