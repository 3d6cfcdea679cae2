#!/bin/sh
# The Ansible side of the "ansible" figure (bench/Agents.Bench/Figures/AnsibleComparison.cs).
# Run INSIDE a private mount namespace (unshare --mount --propagation private), as root:
#   sandbox.sh <dir> <targets> <forks>
# builds <targets> chroot targets under <dir>/targets/tNNNN, each with a read-only /usr, the
# merged-usr links, /dev, a private /tmp and /root, and a PRIVATE /etc (a minimal passwd, shadow,
# group, gshadow with root and the user "bench", plus login.defs and nsswitch.conf), then runs
# reset-password.yml on all of them with the community.general.chroot connection and prints
# ANSIBLE_WALL_NS=<nanoseconds> for ansible-playbook alone. The bind mounts vanish with the
# namespace; the targets' /etc stay on disk under <dir> for the bench to verify. The host's
# /etc is never written: every path written is under <dir>.
set -eu
dir=$1; targets=$2; forks=$3
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "sandbox.sh: must run as root (chroot)" >&2; exit 2; }
# refuse to run where the mounts would leak into the host's namespace
[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || { echo "sandbox.sh: run me under unshare --mount --propagation private" >&2; exit 2; }
mkdir -p "$dir/targets"
inventory="$dir/inventory.ini"
echo "[targets]" > "$inventory"
days=$(( $(date +%s) / 86400 ))
i=0
while [ "$i" -lt "$targets" ]; do
  t="$dir/targets/$(printf 't%04d' "$i")"
  mkdir -p "$t/usr" "$t/dev" "$t/etc" "$t/tmp" "$t/root" "$t/home/bench" "$t/proc"
  chmod 1777 "$t/tmp"; chmod 700 "$t/root"
  for l in bin sbin lib lib64; do [ -e "/usr/$l" ] && ln -sfn "usr/$l" "$t/$l"; done
  mount --bind /usr "$t/usr"; mount -o remount,bind,ro "$t/usr"
  mount --bind /dev "$t/dev"
  mount -t proc proc "$t/proc"
  printf 'root:x:0:0:root:/root:/bin/sh\nbench:x:6000:6000:bench:/home/bench:/bin/sh\n' > "$t/etc/passwd"
  printf 'root:*:%s:0:99999:7:::\nbench:!:%s:0:99999:7:::\n' "$days" "$days" > "$t/etc/shadow"
  printf 'root:x:0:\nshadow:x:42:\nbench:x:6000:\n' > "$t/etc/group"
  printf 'root:*::\nshadow:*::\nbench:!::\n' > "$t/etc/gshadow"
  chmod 644 "$t/etc/passwd" "$t/etc/group"; chmod 640 "$t/etc/shadow" "$t/etc/gshadow"
  cp /etc/login.defs /etc/nsswitch.conf "$t/etc/"
  echo "$(basename "$t") ansible_host=$t" >> "$inventory"
  i=$((i + 1))
done
cat > "$dir/ansible.cfg" <<CFG
[defaults]
forks = $forks
gathering = explicit
interpreter_python = /usr/bin/python3
host_key_checking = False
retry_files_enabled = False
local_tmp = $dir/ansible-local
remote_tmp = /tmp/.ansible
[connection]
pipelining = True
CFG
export ANSIBLE_CONFIG="$dir/ansible.cfg" ANSIBLE_HOME="$dir/ansible-home" ANSIBLE_NOCOLOR=1
start=$(date +%s%N)
ansible-playbook -i "$inventory" "$here/reset-password.yml" \
  -e ansible_connection=community.general.chroot -e "@$dir/password.json"
end=$(date +%s%N)
echo "ANSIBLE_WALL_NS=$((end - start))"
