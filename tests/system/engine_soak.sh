#!/usr/bin/env bash
# Hardening issue, item 8: the 2-minute soak (tools/soak 2): a wgx-engine <-> wireguard-go
# tunnel with a forced new session every 5 s; no delivery gap over 5 s, flat RSS and fds.
exec "$(dirname "$0")/../../tools/soak" 2
