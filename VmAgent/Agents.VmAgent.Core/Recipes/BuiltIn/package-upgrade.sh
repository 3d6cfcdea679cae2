#!/bin/sh
# Built-in recipe: upgrade installed packages (e.g. after an openssl CVE) with the VM's package manager.
# Parameters (environment): RECIPE_packages = space-separated package names to upgrade; empty = everything.
set -eu
# Sandbox mode (demo, tests): the agent or bridge changes nothing outside AGENT_SANDBOX_ROOT, so
# the recipe only records what it would have done there.
if [ -n "${AGENT_SANDBOX_ROOT:-}" ]; then
    mkdir -p "$AGENT_SANDBOX_ROOT/var/log"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) package-upgrade ${RECIPE_packages:-all}" >> "$AGENT_SANDBOX_ROOT/var/log/agent-recipes.log"
    echo "sandbox: would upgrade ${RECIPE_packages:-every package} with apt-get or dnf"
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
