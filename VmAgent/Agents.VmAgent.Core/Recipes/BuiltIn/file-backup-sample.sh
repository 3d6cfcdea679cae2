#!/bin/sh
# SAMPLE recipe: a one-shot tar.gz backup of some paths into a local directory.
# Parameters (environment): RECIPE_paths = space-separated paths (default /etc),
#                           RECIPE_destination = directory for the archive (default /var/backups/cloudstack).
# A real backup ships the archive off the VM; this sample only shows the shape of such a recipe.
set -eu
# Sandbox mode (demo, tests): the agent or bridge changes nothing outside AGENT_SANDBOX_ROOT, so
# the recipe only records what it would have done there.
if [ -n "${AGENT_SANDBOX_ROOT:-}" ]; then
    mkdir -p "$AGENT_SANDBOX_ROOT/var/log"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) file-backup-sample ${RECIPE_paths:-/etc}" >> "$AGENT_SANDBOX_ROOT/var/log/agent-recipes.log"
    echo "sandbox: would archive ${RECIPE_paths:-/etc}"
    exit 0
fi
paths="${RECIPE_paths:-/etc}"
dest="${RECIPE_destination:-/var/backups/cloudstack}"
mkdir -p -- "$dest"
archive="$dest/backup-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
# shellcheck disable=SC2086
tar -czf "$archive" -- $paths
echo "backup written to $archive"
