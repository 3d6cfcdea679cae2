#!/bin/sh
# Built-in recipe: upgrade installed packages (e.g. after an openssl CVE) with the VM's package manager.
# Parameters (environment): RECIPE_packages = space-separated package names to upgrade; empty = everything.
set -eu
if [ -n "${AGENT_SANDBOX_ROOT:-}" ]; then
    # a sandboxed agent (demo, tests) acts on a pretend VM: record the intent, touch nothing outside the sandbox
    mkdir -p "$AGENT_SANDBOX_ROOT/var/log"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) would upgrade packages: ${RECIPE_packages:-everything}" >> "$AGENT_SANDBOX_ROOT/var/log/agent-recipes.log"
    echo "package upgrade (sandbox): recorded in $AGENT_SANDBOX_ROOT/var/log/agent-recipes.log"
    exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    if [ -n "${RECIPE_packages:-}" ]; then
        # word splitting here is intended: names are separated by spaces, and apt-get gets each as one argument
        # shellcheck disable=SC2086
        apt-get install -y -q --only-upgrade -- ${RECIPE_packages}
    else
        apt-get upgrade -y -q
    fi
elif command -v dnf >/dev/null 2>&1; then
    if [ -n "${RECIPE_packages:-}" ]; then
        # shellcheck disable=SC2086
        dnf upgrade -y -q -- ${RECIPE_packages}
    else
        dnf upgrade -y -q
    fi
else
    echo "no apt-get or dnf on this system" >&2
    exit 3
fi
echo "package upgrade finished"
