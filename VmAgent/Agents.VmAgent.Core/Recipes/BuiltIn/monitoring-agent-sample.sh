#!/bin/sh
# SAMPLE recipe: installs the Prometheus node exporter from the distribution's packages and enables it.
# It is a starting point for your own monitoring recipe, not a supported monitoring product.
set -eu
# Sandbox mode (demo, tests): the agent or bridge changes nothing outside AGENT_SANDBOX_ROOT, so
# the recipe only records what it would have done there.
if [ -n "${AGENT_SANDBOX_ROOT:-}" ]; then
    mkdir -p "$AGENT_SANDBOX_ROOT/var/log"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) monitoring-agent-sample ${RECIPE_SERVER:-}" >> "$AGENT_SANDBOX_ROOT/var/log/agent-recipes.log"
    echo "sandbox: would install and enable the Prometheus node exporter"
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
