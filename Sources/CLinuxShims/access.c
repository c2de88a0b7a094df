#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "CLinuxShims.h"

/* The kernel's own answer for another user, ACLs and all: a child drops to uid/gid (no
   supplementary groups) and asks access(2). Only async-signal-safe calls after fork. */
int vmnet_access_as(const char *path, unsigned uid, unsigned gid, int mode) {
    pid_t child = fork();
    if (child < 0) return -errno;
    if (child == 0) {
        if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(2);
        _exit(access(path, mode) == 0 ? 0 : 1);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return -errno;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 2) return -EPERM;
    return WEXITSTATUS(status) == 0 ? 0 : -EACCES;
}
