#!/bin/sh
# Installs the Agents Framework's services (API, CA, consumers, bridge) as systemd units:
# the programs under /opt/agents-framework/<service>/, a system user per service, the unit,
# and an environment file for its secrets (created once from packaging/env, never overwritten).
# Run from a checkout (it publishes the services) or with --from a folder holding
# api/ ca/ consumers/ bridge/ already published. See docs/operations.md, "Install".
set -eu

usage() {
  cat <<'USAGE'
usage: install-services.sh [options]

  --services LIST   comma-separated, of: api,ca,consumers,bridge (default: all four)
  --from DIR        take the published programs from DIR/<service>/ instead of publishing them
  --destdir DIR     install under DIR (a package build or a check): no users made, nothing started
  --no-start        install and enable, but do not start the units
  --uninstall       stop and remove the units and programs (state, logs and secrets are kept)
  -h, --help        this text
USAGE
}

die() { echo "install-services.sh: $*" >&2; exit 2; }

services="api,ca,consumers,bridge"
from=""
destdir=""
start=1
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --services) [ $# -ge 2 ] || die "--services needs a list"; services="$2"; shift 2 ;;
    --from) [ $# -ge 2 ] || die "--from needs a folder"; from="$2"; shift 2 ;;
    --destdir) [ $# -ge 2 ] || die "--destdir needs a folder"; destdir="$2"; shift 2 ;;
    --no-start) start=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

project_of() {
  case "$1" in
    api) echo "Producers/Agents.Producers" ;;
    ca) echo "CaAuthority/Agents.CaAuthority" ;;
    consumers) echo "Consumers/Agents.Consumers" ;;
    bridge) echo "RouterBridge/Agents.RouterBridge" ;;
    *) die "unknown service '$1' (api, ca, consumers, bridge)" ;;
  esac
}

list=$(echo "$services" | tr ',' ' ')
for s in $list; do project_of "$s" >/dev/null; done
if [ -z "$destdir" ] && [ "$(id -u)" -ne 0 ]; then die "run as root (or with --destdir)"; fi

systemctl_() { if [ -z "$destdir" ]; then systemctl "$@"; fi; }

if [ "$uninstall" -eq 1 ]; then
  for s in $list; do
    systemctl_ disable --now "agents-$s.service" || true
    rm -f "$destdir/etc/systemd/system/agents-$s.service"
    rm -rf "$destdir/opt/agents-framework/$s"
    echo "removed agents-$s (kept /var/lib/agents-$s, /var/log/agents-$s, /etc/agents-framework/$s.env)"
  done
  systemctl_ daemon-reload
  exit 0
fi

staging=""
if [ -z "$from" ]; then
  command -v dotnet >/dev/null || die "dotnet is not installed: install the .NET 10 runtime and SDK, or give --from"
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' EXIT
  for s in $list; do
    echo "publishing $s" >&2
    dotnet publish "$repo/$(project_of "$s")" -c Release -o "$staging/$s" --nologo -v quiet >&2
  done
  from="$staging"
fi

for s in $list; do
  [ -d "$from/$s" ] || die "$from/$s is missing (a published $s)"
  unit="$here/systemd/agents-$s.service"
  [ -f "$unit" ] || die "$unit is missing"
  user="agents-$s"
  if [ -z "$destdir" ] && ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  fi
  install -d -m 0755 "$destdir/opt/agents-framework/$s"
  cp -R "$from/$s/." "$destdir/opt/agents-framework/$s/"
  install -d -m 0755 "$destdir/etc/systemd/system"
  install -m 0644 "$unit" "$destdir/etc/systemd/system/agents-$s.service"
  install -d -m 0755 "$destdir/etc/agents-framework"
  env="$destdir/etc/agents-framework/$s.env"
  if [ ! -e "$env" ]; then
    # secrets: readable by root and the service's group only; an existing file is the operator's
    install -m 0640 "$here/env/$s.env" "$env"
    if [ -z "$destdir" ]; then chgrp "$user" "$env"; fi
    echo "wrote $env: fill in its secrets before starting agents-$s" >&2
  fi
  echo "installed agents-$s"
done

systemctl_ daemon-reload
for s in $list; do
  if [ "$start" -eq 1 ]; then systemctl_ enable --now "agents-$s.service"; else systemctl_ enable "agents-$s.service"; fi
done
