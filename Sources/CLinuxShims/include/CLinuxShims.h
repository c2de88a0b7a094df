#ifndef VMNET_CLINUX_SHIMS_H
#define VMNET_CLINUX_SHIMS_H
/* glibc hides pipe2 behind _GNU_SOURCE, which Swift's Glibc module does not define. */
int vmnet_pipe_cloexec(int fds[2]);

/* Turns off transmit checksum offload on an interface (ethtool -K IF tx off) through the
   SIOCETHTOOL ioctl. Returns 0, or -errno. */
int vmnet_disable_tx_checksum(const char *ifname);
/* rtnetlink link and address requests (netlink.c). Each returns 0, or -errno. */
/* mac: 6 bytes or NULL. Bridges are made with br_netfilter's nf_call_* switches off. */
int vmnet_link_add_bridge(const char *name, unsigned mtu, const unsigned char *mac);
/* Re-asserts an existing bridge's MAC and nf_call_* switches. */
int vmnet_bridge_settle(const char *name, const unsigned char *mac);
int vmnet_link_add_veth(const char *name, const char *peer, unsigned mtu);
/* master NULL, mtu 0, up -1 and group 0 leave that property alone. */
int vmnet_link_set(const char *name, const char *master, unsigned mtu, int up, unsigned group);
int vmnet_address_replace(const char *name, unsigned int address, unsigned prefix_length);
int vmnet_address6_replace_nodad(const char *name, const unsigned char *address, unsigned prefix_length);
int vmnet_link_delete_group(unsigned group);
/* addrgenmode none: the link gets no IPv6 link-local address when it comes up. */
int vmnet_link_no_ipv6_addresses(const char *name);
/* 0 when uid/gid may access path with mode (R_OK, X_OK…), else -errno (access.c). */
int vmnet_access_as(const char *path, unsigned uid, unsigned gid, int mode);
/* Change notifications of nftables (events.c), which iptables-nft, firewalld, ufw and Docker
   all go through: a non-blocking netlink socket in the NFNLGRP_NFTABLES group, or -errno. */
int vmnet_nftables_events_open(void);
/* Reads every queued notification; returns how many (an overrun counts as one), or -errno. */
int vmnet_nftables_events_drain(int fd);
/* A descriptor that becomes readable once SIGTERM or SIGINT arrives (their handlers write to
   it), or -errno. */
int vmnet_termination_fd(void);
#endif
