#!/bin/sh
# Advanced check, like the VR's health_checks folder: exit 0 passes, the output is the detail.
if [ -r /etc/resolv.conf ] && grep -q '^nameserver' /etc/resolv.conf; then
  echo "resolver configured: $(grep -c '^nameserver' /etc/resolv.conf) nameserver(s)"
  exit 0
fi
echo "no nameserver in /etc/resolv.conf"
exit 1
