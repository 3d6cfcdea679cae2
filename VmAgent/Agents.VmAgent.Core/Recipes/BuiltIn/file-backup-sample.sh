#!/bin/sh
# SAMPLE recipe: a one-shot tar.gz backup of some paths into a local directory.
# Parameters (environment): RECIPE_paths = space-separated paths (default /etc),
#                           RECIPE_destination = directory for the archive (default /var/backups/cloudstack).
# A real backup ships the archive off the VM; this sample only shows the shape of such a recipe.
set -eu
if [ -n "${AGENT_SANDBOX_ROOT:-}" ]; then
    # a sandboxed agent (demo, tests) acts on a pretend VM: record the intent, touch nothing outside the sandbox
    mkdir -p "$AGENT_SANDBOX_ROOT/var/log"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) would back up ${RECIPE_paths:-/etc} to ${RECIPE_destination:-/var/backups/cloudstack}" >> "$AGENT_SANDBOX_ROOT/var/log/agent-recipes.log"
    echo "file backup sample (sandbox): recorded in $AGENT_SANDBOX_ROOT/var/log/agent-recipes.log"
    exit 0
fi
paths="${RECIPE_paths:-/etc}"
dest="${RECIPE_destination:-/var/backups/cloudstack}"
mkdir -p -- "$dest"
archive="$dest/backup-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
# shellcheck disable=SC2086
tar -czf "$archive" -- $paths
echo "backup written to $archive"
