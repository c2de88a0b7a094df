/// The systemd-resolved calls that make the host resolve a network's names: the bridge
/// becomes a per-link DNS server for the routing-only domain `~NET.vmnet`.
public enum ResolvedPlanner {
    /// The name of the check in `vmnet doctor`.
    public static let check = "host-resolver"

    public static func register(_ network: NetworkRecord) -> [[String]] {
        [
            ["resolvectl", "dns", network.bridge, network.gateway.description],
            ["resolvectl", "domain", network.bridge, routingDomain(network)],
        ]
    }

    public static func unregister(_ network: NetworkRecord) -> [[String]] {
        [["resolvectl", "revert", network.bridge]]
    }

    /// What resolved holds for the network's link: its DNS servers, then its domains.
    public static func query(_ network: NetworkRecord) -> [[String]] {
        [["resolvectl", "dns", network.bridge], ["resolvectl", "domain", network.bridge]]
    }

    /// The doctor also reads the link's status: resolved keeps a link's settings but stops
    /// using them (no DNS scope) while the link has no carrier.
    public static func statusQuery(_ network: NetworkRecord) -> [String] {
        ["resolvectl", "status", network.bridge]
    }

    /// Whether `resolvectl status LINK` shows a DNS scope ("Current Scopes: DNS …", not "none").
    public static func hasDNSScope(_ statusOutput: String) -> Bool {
        guard let line = statusOutput.split(whereSeparator: \.isNewline).first(where: { $0.contains("Current Scopes:") }),
              let colon = line.firstIndex(of: ":")
        else { return false }
        return line[line.index(after: colon)...].split(separator: " ").contains("DNS")
    }

    public static func routingDomain(_ network: NetworkRecord) -> String { "~\(network.domain)" }

    /// The values `resolvectl dns LINK` or `resolvectl domain LINK` printed for the link:
    /// "Link 5 (vmn-proj): 10.140.7.1 10.0.0.9" gives the two addresses; "Link 5 (vmn-proj):"
    /// gives none.
    public static func linkValues(_ output: String) -> [String] {
        guard let line = output.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("Link ") }),
              let close = line.firstIndex(of: ")")
        else { return [] }
        let rest = line[line.index(after: close)...]
        guard rest.first == ":" else { return [] }
        return rest.dropFirst().split(separator: " ").map(String.init)
    }

    /// What the link lacks of the network's registration, as words for a message; empty
    /// when resolved sends the network's names to its gateway.
    public static func missing(_ network: NetworkRecord, dnsOutput: String, domainOutput: String) -> [String] {
        let gateway = network.gateway.description
        // resolved may print a server with its port, interface or TLS name: 10.0.0.1:53, …%3, …#name.
        let hasServer = linkValues(dnsOutput).contains { value in
            value == gateway || [":", "%", "#"].contains { value.hasPrefix(gateway + $0) }
        }
        let hasDomain = linkValues(domainOutput).contains(routingDomain(network))
        return (hasServer ? [] : ["the DNS server \(gateway)"]) + (hasDomain ? [] : ["the routing domain \(routingDomain(network))"])
    }

    /// The doctor's verdict on a network that is up while resolved runs.
    public static func finding(_ network: NetworkRecord, dnsOutput: String, domainOutput: String, statusOutput: String) -> DoctorFinding {
        let lacking = missing(network, dnsOutput: dnsOutput, domainOutput: domainOutput)
        if !lacking.isEmpty {
            return DoctorFinding(
                network: network.name.value, check: check, status: .fail,
                detail: "systemd-resolved lacks \(lacking.joined(separator: " and ")) on \(network.bridge): the host does not resolve \(network.domain)",
                fix: "vmnet up \(network.name)")
        }
        if !hasDNSScope(statusOutput) {
            return DoctorFinding(
                network: network.name.value, check: check, status: .fail,
                detail: "systemd-resolved does not use \(network.bridge) (no DNS scope: the bridge has no carrier): the host does not resolve \(network.domain)",
                fix: "vmnet up \(network.name)")
        }
        return .ok(network.name.value, check, "systemd-resolved sends \(network.domain) to \(network.gateway) on \(network.bridge)")
    }

    /// What a user without systemd-resolved adds to a dnsmasq-based resolver
    /// (NetworkManager's, or the host's own) to resolve the network's names.
    public static func manualLine(_ network: NetworkRecord) -> String {
        "server=/\(network.domain)/\(network.gateway)"
    }
}
