#ifndef VMNET_CLINUX_SHIMS_H
#define VMNET_CLINUX_SHIMS_H
/* glibc hides pipe2 behind _GNU_SOURCE, which Swift's Glibc module does not define. */
int vmnet_pipe_cloexec(int fds[2]);

/* Turns off transmit checksum offload on an interface (ethtool -K IF tx off) through the
   SIOCETHTOOL ioctl. Returns 0, or -errno. */
int vmnet_disable_tx_checksum(const char *ifname);
#endif
