/// Renders vmnet's iptables chains as `iptables-restore --noflush` input. Each chain is
/// declared, which empties it, then refilled: applying it twice gives the same rules. The
/// built-in chains only get one jump each (see `jumps`), never per-network rules.
public enum IptablesRuleset {
    public struct Jump: Hashable, Sendable {
        public let table: String
        public let builtinChain: String
        public let target: String
    }

    public static let jumps: [Jump] = [
        Jump(table: "filter", builtinChain: "INPUT", target: "VMNET-INPUT"),
        Jump(table: "filter", builtinChain: "FORWARD", target: "VMNET-FORWARD"),
        Jump(table: "nat", builtinChain: "PREROUTING", target: "VMNET-PREROUTING"),
        Jump(table: "nat", builtinChain: "OUTPUT", target: "VMNET-OUTPUT"),
        Jump(table: "nat", builtinChain: "POSTROUTING", target: "VMNET-POSTROUTING"),
        Jump(table: "mangle", builtinChain: "POSTROUTING", target: "VMNET-POSTROUTING"),
    ]

    public static func render(_ networks: [NetworkRecord], allBridges: [String], forwards: [ResolvedForward] = []) -> String {
        let networks = networks.sorted { $0.name < $1.name }
        let reject = "-j REJECT --reject-with icmp-admin-prohibited"
        let bridges = Array(Set(allBridges + networks.map(\.bridge))).sorted()
        var input: [String] = []
        var forward: [String] = []
        var nat: [String] = []
        var mangle: [String] = []
        // The host's address on another bridge is part of that network: isolation also closes
        // the way to it (its dnsmasq, ping, anything), ahead of the accepts.
        let isolatedBridges = Set(networks.filter(\.isolation).map(\.bridge))
        for network in networks {
            for other in bridges where other != network.bridge && (network.isolation || isolatedBridges.contains(other)) {
                input.append("-A VMNET-INPUT -i \(other) -d \(network.gateway) \(reject)")
            }
        }
        // Each dnsmasq serves its own bridge (and the host, over lo) only.
        if !networks.isEmpty { input.append("-A VMNET-INPUT -i lo -j RETURN") }
        for network in networks {
            input += [
                "-A VMNET-INPUT ! -i \(network.bridge) -d \(network.gateway) -p udp -m multiport --dports 53,67 \(reject)",
                "-A VMNET-INPUT ! -i \(network.bridge) -d \(network.gateway) -p tcp --dport 53 \(reject)",
            ]
        }
        for network in networks {
            let bridge = network.bridge
            input += [
                "-A VMNET-INPUT -i \(bridge) -p udp --dport 67 -j ACCEPT",
                "-A VMNET-INPUT -i \(bridge) -p udp --dport 53 -j ACCEPT",
                "-A VMNET-INPUT -i \(bridge) -p tcp --dport 53 -j ACCEPT",
            ]
            forward.append("-A VMNET-FORWARD -i \(bridge) -o \(bridge) -j ACCEPT")
            mangle.append("-A VMNET-POSTROUTING -o \(bridge) -p udp --dport 68 -j CHECKSUM --checksum-fill")
        }
        forward += isolation(networks, bridges: bridges, reject: reject)
        for network in networks where network.mode == .hostOnly {
            forward += ["-A VMNET-FORWARD -i \(network.bridge) \(reject)", "-A VMNET-FORWARD -o \(network.bridge) \(reject)"]
        }
        let natBridges = Set(networks.filter { $0.mode == .nat }.map(\.bridge))
        let forwards = forwards.filter { natBridges.contains($0.bridge) }
        let forwarded = Set(forwards.map(\.bridge))
        for network in networks where network.mode == .nat {
            forward += [
                "-A VMNET-FORWARD -i \(network.bridge) -s \(network.subnet) -j ACCEPT",
                "-A VMNET-FORWARD -o \(network.bridge) -d \(network.subnet) -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            ]
            nat.append("-A VMNET-POSTROUTING -s \(network.subnet) ! -d \(network.subnet) -j MASQUERADE")
            guard forwarded.contains(network.bridge) else { continue }
            // A forward's flow, DNATed in VMNET-PREROUTING; and the hairpin (see NftRuleset).
            forward.append("-A VMNET-FORWARD -o \(network.bridge) -d \(network.subnet) -m conntrack --ctstate DNAT -j ACCEPT")
            nat.append("-A VMNET-POSTROUTING -s \(network.subnet) -o \(network.bridge) -m conntrack --ctstate DNAT -j MASQUERADE")
        }
        var prerouting: [String] = []
        var output: [String] = []
        for resolved in forwards.sorted(by: { ($0.bridge, $0.forward.port, $0.forward.proto.rawValue) < ($1.bridge, $1.forward.port, $1.forward.proto.rawValue) }) {
            let forward = resolved.forward
            let ports = forward.endPort > forward.port ? "\(forward.port):\(forward.endPort)" : "\(forward.port)"
            let to = forward.endPort > forward.port ? "\(resolved.targetIP)" : "\(resolved.targetIP):\(resolved.targetPort)"
            let match = "-p \(forward.proto.rawValue) -m \(forward.proto.rawValue) --dport \(ports) -j DNAT --to-destination \(to)"
            let local = forward.address.map { "-d \($0)/32" } ?? "-m addrtype --dst-type LOCAL"
            prerouting.append("-A VMNET-PREROUTING \(local) \(match)")
            output.append("-A VMNET-OUTPUT \(forward.address == nil ? "! -d 127.0.0.0/8 " : "")\(local) \(match)")
        }
        for network in networks where network.mode == .nat {
            forward += ["-A VMNET-FORWARD -i \(network.bridge) \(reject)", "-A VMNET-FORWARD -o \(network.bridge) \(reject)"]
        }
        let lines = ["*filter", ":VMNET-INPUT - [0:0]", ":VMNET-FORWARD - [0:0]"] + input + forward
            + ["COMMIT", "*nat", ":VMNET-PREROUTING - [0:0]", ":VMNET-OUTPUT - [0:0]", ":VMNET-POSTROUTING - [0:0]"] + prerouting + output + nat
            + ["COMMIT", "*mangle", ":VMNET-POSTROUTING - [0:0]"] + mangle + ["COMMIT"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The rejects between each isolated network and every other bridge. Two isolated networks
    /// would each reject the pair: one copy of each rule is kept.
    static func isolation(_ networks: [NetworkRecord], bridges: [String], reject: String) -> [String] {
        var isolation: [String] = []
        for network in networks where network.isolation {
            for other in bridges where other != network.bridge {
                for rule in ["-A VMNET-FORWARD -i \(network.bridge) -o \(other) \(reject)", "-A VMNET-FORWARD -i \(other) -o \(network.bridge) \(reject)"]
                where !isolation.contains(rule) {
                    isolation.append(rule)
                }
            }
        }
        return isolation
    }
}
