#!/bin/sh
# Installs agents-vm-agent as a systemd service. Run as root from the unpacked tarball or the ISO:
#   sudo ./install.sh [--router ADDRESS]... [--port N] [--token TOKEN] [--ca FILE] [--no-start]
#   sudo ./install.sh --uninstall
# The binary for this machine (uname -m) is taken from x64/ or arm64/ beside this script.
# AGENT_INSTALL_ROOT=/some/dir installs under that directory and skips systemctl (for tests).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${AGENT_INSTALL_ROOT:-}
name=agents-vm-agent
routers="" port="" token="" ca="" start=1 uninstall=0

die() { echo "install.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --router) [ $# -ge 2 ] || die "--router needs an address"; routers="$routers $2"; shift 2 ;;
    --port) [ $# -ge 2 ] || die "--port needs a number"; port=$2; shift 2 ;;
    --token) [ $# -ge 2 ] || die "--token needs a value"; token=$2; shift 2 ;;
    --ca) [ $# -ge 2 ] || die "--ca needs a PEM file"; ca=$2; shift 2 ;;
    --no-start) start=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[ -n "$root" ] || [ "$(id -u)" = 0 ] || die "run as root (sudo $0 ...)"
use_systemd=0
[ -z "$root" ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ] && use_systemd=1

if [ "$uninstall" = 1 ]; then
  [ "$use_systemd" = 1 ] && { systemctl disable --now "$name" 2>/dev/null || true; }
  rm -f "$root/etc/systemd/system/$name.service" "$root/usr/local/sbin/$name"
  [ "$use_systemd" = 1 ] && systemctl daemon-reload
  echo "removed $name; kept /etc/$name and /var/lib/$name (the agent's key and journal)"
  exit 0
fi

case "$port" in ""|*[!0-9]*) [ -z "$port" ] || die "--port must be a number" ;; esac
for r in $routers; do case "$r" in *[\"\\\ ]*) die "bad router address '$r'" ;; esac; done
case "$token" in *[\"\\\ ]*) die "bad token" ;; esac

# the medium may carry several architectures (the ISO: x64 and arm64); a tarball carries one
machine=$(uname -m)
case "$machine" in
  x86_64|amd64) arch=x64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) arch=$machine ;;
esac
binary="$here/$arch/$name"
if [ ! -f "$binary" ]; then
  have=$(cd "$here" && for d in */; do if [ -f "$d$name" ]; then printf ' %s' "${d%/}"; fi; done)
  die "no agent for this machine ($machine) in $here; it has:${have:- none}"
fi

install -d -m 0755 "$root/usr/local/sbin" "$root/etc/$name" "$root/etc/$name/recipes" "$root/etc/systemd/system"
install -d -m 0700 "$root/var/lib/$name"
install -m 0755 "$binary" "$root/usr/local/sbin/$name"
install -m 0644 "$here/$name.service" "$root/etc/systemd/system/$name.service"
[ -f "$root/etc/$name/policy.json" ] || install -m 0644 "$here/policy.json.sample" "$root/etc/$name/policy.json"
install -m 0644 "$here/agent.json.sample" "$root/etc/$name/agent.json.sample"
[ -f "$here/README.txt" ] && install -m 0644 "$here/README.txt" "$root/etc/$name/README.txt"
[ -z "$ca" ] && [ -f "$here/ca.pem" ] && ca="$here/ca.pem"
[ -n "$ca" ] && install -m 0644 "$ca" "$root/etc/$name/ca.pem"

conf="$root/etc/$name/agent.json"
if [ ! -f "$conf" ] || [ -n "$routers$port" ]; then
  list=""
  for r in $routers; do list="$list${list:+, }\"$r\""; done
  {
    echo "{"
    echo "  \"routers\": [$list],"
    echo "  \"port\": ${port:-8443},"
    echo "  \"dataDirectory\": \"$root/var/lib/$name\","
    echo "  \"caFile\": \"$root/etc/$name/ca.pem\","
    echo "  \"policyFile\": \"$root/etc/$name/policy.json\","
    echo "  \"recipeDirectory\": \"$root/etc/$name/recipes\""
    echo "}"
  } > "$conf"
  chmod 0644 "$conf"
fi
if [ -n "$token" ]; then
  ( umask 077; echo "AGENTS_ENROLLMENT_TOKEN=$token" > "$root/etc/$name/agent.env" )
fi

"$root/usr/local/sbin/$name" --config "$conf" --check >/dev/null || die "the installed settings do not pass --check (see above)"
if [ "$use_systemd" = 1 ]; then
  systemctl daemon-reload
  systemctl enable "$name" >/dev/null
  if [ "$start" = 1 ]; then systemctl restart "$name"; echo "$name installed and started (journalctl -u $name)"; else echo "$name installed (systemctl start $name)"; fi
else
  echo "$name installed under ${root:-/}; no systemd here: start it with $root/usr/local/sbin/$name --config $conf"
fi
