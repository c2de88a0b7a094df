/* A minimal rtnetlink client: the handful of link and address requests vmnet makes, each
   sent and acknowledged in-process instead of spawning `ip`. Every function returns 0 or
   -errno, the kernel's own answer. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>
#include "CLinuxShims.h"

struct request {
    struct nlmsghdr header;
    char payload[2048];
};

static void *tail(struct request *request) {
    return (char *)request + NLMSG_ALIGN(request->header.nlmsg_len);
}

static struct rtattr *add_attribute(struct request *request, unsigned short type, const void *data, size_t length) {
    struct rtattr *attribute = tail(request);
    attribute->rta_type = type;
    attribute->rta_len = RTA_LENGTH(length);
    if (length) memcpy(RTA_DATA(attribute), data, length);
    request->header.nlmsg_len = NLMSG_ALIGN(request->header.nlmsg_len) + RTA_ALIGN(attribute->rta_len);
    return attribute;
}

static void add_u32(struct request *request, unsigned short type, uint32_t value) {
    add_attribute(request, type, &value, sizeof value);
}

static void add_u8(struct request *request, unsigned short type, uint8_t value) {
    add_attribute(request, type, &value, sizeof value);
}

static void add_string(struct request *request, unsigned short type, const char *value) {
    add_attribute(request, type, value, strlen(value) + 1);
}

static struct rtattr *begin_nest(struct request *request, unsigned short type) {
    return add_attribute(request, type, NULL, 0);
}

static void end_nest(struct request *request, struct rtattr *nest) {
    nest->rta_len = (unsigned short)((char *)tail(request) - (char *)nest);
}

static int transact(struct request *request) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) return -errno;
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
    request->header.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    request->header.nlmsg_seq = 1;
    if (sendto(fd, request, request->header.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    char answer[8192];
    for (;;) {
        ssize_t length = recv(fd, answer, sizeof answer, 0);
        if (length < 0) {
            if (errno == EINTR) continue;
            int error = errno;
            close(fd);
            return -error;
        }
        for (struct nlmsghdr *message = (struct nlmsghdr *)answer; NLMSG_OK(message, (unsigned)length);
             message = NLMSG_NEXT(message, length)) {
            if (message->nlmsg_type == NLMSG_ERROR) {
                struct nlmsgerr *error = NLMSG_DATA(message);
                close(fd);
                return error->error;
            }
        }
    }
}

static void start_link_request(struct request *request, int type, int flags, int index) {
    memset(request, 0, sizeof *request);
    request->header.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
    request->header.nlmsg_type = (unsigned short)type;
    request->header.nlmsg_flags = (unsigned short)flags;
    struct ifinfomsg *info = NLMSG_DATA(&request->header);
    info->ifi_family = AF_UNSPEC;
    info->ifi_index = index;
}

/* br_netfilter (built in here, bridge-nf-call-iptables=1 in every namespace) otherwise hands
   frames between two ports of one bridge to the host's iptables FORWARD chain, where a
   Docker-style policy DROP cuts guests of one network off from each other. */
static void add_bridge_switches(struct request *request) {
    add_u8(request, IFLA_BR_NF_CALL_IPTABLES, 0);
    add_u8(request, IFLA_BR_NF_CALL_IP6TABLES, 0);
    add_u8(request, IFLA_BR_NF_CALL_ARPTABLES, 0);
}

int vmnet_link_add_bridge(const char *name, unsigned mtu, const unsigned char mac[6]) {
    struct request request;
    start_link_request(&request, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
    add_string(&request, IFLA_IFNAME, name);
    if (mtu) add_u32(&request, IFLA_MTU, mtu);
    /* An address given at creation marks it as set by the user: the bridge then keeps it
       instead of taking the lowest MAC of its ports. */
    if (mac) add_attribute(&request, IFLA_ADDRESS, mac, 6);
    struct rtattr *linkinfo = begin_nest(&request, IFLA_LINKINFO);
    add_string(&request, IFLA_INFO_KIND, "bridge");
    struct rtattr *data = begin_nest(&request, IFLA_INFO_DATA);
    add_u32(&request, IFLA_BR_STP_STATE, 0);
    add_u32(&request, IFLA_BR_FORWARD_DELAY, 0);
    add_bridge_switches(&request);
    end_nest(&request, data);
    end_nest(&request, linkinfo);
    return transact(&request);
}

int vmnet_bridge_settle(const char *name, const unsigned char mac[6]) {
    unsigned index = if_nametoindex(name);
    if (!index) return -ENODEV;
    struct request request;
    start_link_request(&request, RTM_NEWLINK, 0, (int)index);
    if (mac) add_attribute(&request, IFLA_ADDRESS, mac, 6);
    struct rtattr *linkinfo = begin_nest(&request, IFLA_LINKINFO);
    add_string(&request, IFLA_INFO_KIND, "bridge");
    struct rtattr *data = begin_nest(&request, IFLA_INFO_DATA);
    add_bridge_switches(&request);
    end_nest(&request, data);
    end_nest(&request, linkinfo);
    return transact(&request);
}

int vmnet_link_add_veth(const char *name, const char *peer, unsigned mtu) {
    struct request request;
    start_link_request(&request, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
    add_string(&request, IFLA_IFNAME, name);
    if (mtu) add_u32(&request, IFLA_MTU, mtu);
    struct rtattr *linkinfo = begin_nest(&request, IFLA_LINKINFO);
    add_string(&request, IFLA_INFO_KIND, "veth");
    struct rtattr *data = begin_nest(&request, IFLA_INFO_DATA);
    struct rtattr *peer_info = begin_nest(&request, VETH_INFO_PEER);
    /* The peer's attributes follow its own ifinfomsg. */
    struct ifinfomsg *peer_message = tail(&request);
    memset(peer_message, 0, sizeof *peer_message);
    request.header.nlmsg_len = NLMSG_ALIGN(request.header.nlmsg_len) + NLMSG_ALIGN(sizeof *peer_message);
    add_string(&request, IFLA_IFNAME, peer);
    if (mtu) add_u32(&request, IFLA_MTU, mtu);
    end_nest(&request, peer_info);
    end_nest(&request, data);
    end_nest(&request, linkinfo);
    return transact(&request);
}

int vmnet_link_set(const char *name, const char *master, unsigned mtu, int up, unsigned group) {
    unsigned index = if_nametoindex(name);
    if (!index) return -ENODEV;
    struct request request;
    start_link_request(&request, RTM_NEWLINK, 0, (int)index);
    if (master) {
        unsigned master_index = if_nametoindex(master);
        if (!master_index) return -ENODEV;
        add_u32(&request, IFLA_MASTER, master_index);
    }
    if (mtu) add_u32(&request, IFLA_MTU, mtu);
    if (group) add_u32(&request, IFLA_GROUP, group);
    if (up >= 0) {
        struct ifinfomsg *info = NLMSG_DATA(&request.header);
        info->ifi_change = IFF_UP;
        info->ifi_flags = up ? IFF_UP : 0;
    }
    return transact(&request);
}

int vmnet_link_no_ipv6_addresses(const char *name) {
    unsigned index = if_nametoindex(name);
    if (!index) return -ENODEV;
    struct request request;
    start_link_request(&request, RTM_NEWLINK, 0, (int)index);
    struct rtattr *spec = begin_nest(&request, IFLA_AF_SPEC);
    struct rtattr *inet6 = begin_nest(&request, AF_INET6);
    add_u8(&request, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
    end_nest(&request, inet6);
    end_nest(&request, spec);
    return transact(&request);
}

static int address_replace(const char *name, int family, const void *address, size_t length, unsigned prefix_length, uint32_t flags) {
    unsigned index = if_nametoindex(name);
    if (!index) return -ENODEV;
    struct request request;
    memset(&request, 0, sizeof request);
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
    request.header.nlmsg_type = RTM_NEWADDR;
    request.header.nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
    struct ifaddrmsg *message = NLMSG_DATA(&request.header);
    message->ifa_family = (unsigned char)family;
    message->ifa_prefixlen = (unsigned char)prefix_length;
    message->ifa_flags = (unsigned char)flags;
    message->ifa_index = index;
    add_attribute(&request, IFA_LOCAL, address, length);
    add_attribute(&request, IFA_ADDRESS, address, length);
    if (flags) add_u32(&request, IFA_FLAGS, flags);
    return transact(&request);
}

int vmnet_address_replace(const char *name, uint32_t address, unsigned prefix_length) {
    uint32_t network_order = htonl(address);
    return address_replace(name, AF_INET, &network_order, sizeof network_order, prefix_length, 0);
}

int vmnet_address6_replace_nodad(const char *name, const unsigned char *address, unsigned prefix_length) {
    return address_replace(name, AF_INET6, address, 16, prefix_length, IFA_F_NODAD);
}

int vmnet_link_delete_group(unsigned group) {
    struct request request;
    start_link_request(&request, RTM_DELLINK, 0, 0);
    add_u32(&request, IFLA_GROUP, group);
    return transact(&request);
}
