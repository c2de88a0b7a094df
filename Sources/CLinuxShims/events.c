#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "CLinuxShims.h"

int vmnet_nftables_events_open(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_NETFILTER);
    if (fd < 0) return -errno;
    struct sockaddr_nl address = { .nl_family = AF_NETLINK };
    int group = NFNLGRP_NFTABLES;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0
        || setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

int vmnet_nftables_events_drain(int fd) {
    char buffer[65536];
    int messages = 0;
    for (;;) {
        ssize_t length = recv(fd, buffer, sizeof buffer, 0);
        if (length > 0) { messages++; continue; }
        if (length < 0 && errno == EINTR) continue;
        /* ENOBUFS: the kernel dropped events it could not queue; something changed all the same. */
        if (length < 0 && errno == ENOBUFS) { messages++; continue; }
        return length < 0 && errno != EAGAIN ? -errno : messages;
    }
}

static int termination_pipe[2] = { -1, -1 };

static void on_termination(int signal) {
    int saved = errno;
    char byte = (char)signal;
    (void)!write(termination_pipe[1], &byte, 1);
    errno = saved;
}

int vmnet_termination_fd(void) {
    if (termination_pipe[0] >= 0) return termination_pipe[0];
    if (pipe2(termination_pipe, O_CLOEXEC | O_NONBLOCK) < 0) return -errno;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_termination;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGTERM, &action, NULL) < 0 || sigaction(SIGINT, &action, NULL) < 0) return -errno;
    return termination_pipe[0];
}
