/// Where one network's dnsmasq keeps its files: configuration and pid under the run
/// directory, leases and host lists under the state directory (they survive `down`).
public struct DnsmasqFiles: Hashable, Sendable {
    public let config: String
    public let pidFile: String
    public let leaseFile: String
    public let dhcpHostsFile: String
    public let addnHostsFile: String
    /// Where the other vmnet networks' names go (`servers-file`, re-read on SIGHUP).
    public let peersFile: String
    /// The running containers' lists, written by their OCI hook (see `ContainerHostsFiles`).
    public let containerDhcpHostsFile: String
    public let containerHostsFile: String
    public let containersFile: String
    /// DHCP options re-read on SIGHUP (`dhcp-optsfile`, see `DnsmasqGuestOptions`).
    public let dhcpOptionsFile: String

    public init(runDirectory: String, stateDirectory: String) {
        config = runDirectory + "/dnsmasq.conf"
        pidFile = runDirectory + "/dnsmasq.pid"
        peersFile = runDirectory + "/peers"
        leaseFile = stateDirectory + "/leases"
        dhcpHostsFile = stateDirectory + "/dhcp-hosts"
        addnHostsFile = stateDirectory + "/addn-hosts"
        containerDhcpHostsFile = stateDirectory + "/container-dhcp-hosts"
        containerHostsFile = stateDirectory + "/container-hosts"
        containersFile = stateDirectory + "/containers.json"
        dhcpOptionsFile = runDirectory + "/dhcp-options"
    }
}
