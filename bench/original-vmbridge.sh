#!/bin/sh
# The original setup's per-bridge steps, re-created for the benchmark: what ifupdown did
# (bridge, address, up) followed by the vmbridge script's start (dnsmasq with the original
# options, iptables CHECKSUM and MASQUERADE, ip_forward), and the reverse for stop.
#   original-vmbridge.sh start|stop BRIDGE ADDRESS/24 STATEDIR
set -e
action="$1" bridge="$2" cidr="$3" state="$4"
addr="${cidr%/*}"
net="${addr%.*}.0/24"
pidfile="$state/vmbridge-$bridge-dnsmasq.pid"
case "$action" in
start)
    ip link add "$bridge" type bridge
    ip addr add "$cidr" dev "$bridge"
    ip link set "$bridge" up
    dnsmasq --bind-interfaces --cache-size=0 --conf-file=/dev/null --dhcp-authoritative \
        --dhcp-leasefile="$state/dnsmasq.$bridge.leases" --dhcp-no-override \
        --dhcp-range "${addr%.*}.192,${addr%.*}.223" --domain=vmnet --except-interface=lo \
        --expand-hosts --interface="$bridge" --listen-address "$addr" --no-resolv \
        --pid-file="$pidfile" --read-ethers --server=127.0.0.1
    iptables -t mangle -A POSTROUTING -o "$bridge" -p udp --dport 68 -j CHECKSUM --checksum-fill
    iptables -t nat -A POSTROUTING -s "$net" ! -d "$net" -j MASQUERADE
    echo 1 >/proc/sys/net/ipv4/ip_forward
    ;;
stop)
    iptables -t nat -D POSTROUTING -s "$net" ! -d "$net" -j MASQUERADE 2>/dev/null || true
    iptables -t mangle -D POSTROUTING -o "$bridge" -p udp --dport 68 -j CHECKSUM --checksum-fill 2>/dev/null || true
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" || true; rm -f "$pidfile"; fi
    ip link delete "$bridge"
    ;;
esac
