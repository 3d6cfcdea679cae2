#!/bin/sh
# SAMPLE recipe: installs the Prometheus node exporter from the distribution's packages and enables it.
# It is a starting point for your own monitoring recipe, not a supported monitoring product.
set -eu
if [ -n "${AGENT_SANDBOX_ROOT:-}" ]; then
    # a sandboxed agent (demo, tests) acts on a pretend VM: record the intent, touch nothing outside the sandbox
    mkdir -p "$AGENT_SANDBOX_ROOT/var/log"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) would install and enable the Prometheus node exporter" >> "$AGENT_SANDBOX_ROOT/var/log/agent-recipes.log"
    echo "monitoring sample (sandbox): recorded in $AGENT_SANDBOX_ROOT/var/log/agent-recipes.log"
    exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q prometheus-node-exporter
    unit=prometheus-node-exporter
elif command -v dnf >/dev/null 2>&1; then
    dnf install -y -q golang-github-prometheus-node-exporter
    unit=node_exporter
else
    echo "no apt-get or dnf on this system" >&2
    exit 3
fi
if command -v systemctl >/dev/null 2>&1; then systemctl enable --now "$unit"; fi
echo "monitoring sample installed: $unit"
