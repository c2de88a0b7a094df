#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "CLinuxShims.h"

int vmnet_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int vmnet_disable_tx_checksum(const char *ifname) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    struct ethtool_value value = { .cmd = ETHTOOL_STXCSUM, .data = 0 };
    struct ifreq request;
    memset(&request, 0, sizeof request);
    strncpy(request.ifr_name, ifname, IFNAMSIZ - 1);
    request.ifr_data = (void *)&value;
    int result = ioctl(fd, SIOCETHTOOL, &request);
    int error = errno;
    close(fd);
    return result < 0 ? -error : 0;
}
