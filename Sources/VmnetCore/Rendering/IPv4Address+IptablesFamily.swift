extension IPv4Address: IptablesFamily {
    public static let iptablesJumps: [IptablesRuleset.Jump] = [
        IptablesRuleset.Jump(table: "filter", builtinChain: "INPUT", target: "VMNET-INPUT"),
        IptablesRuleset.Jump(table: "filter", builtinChain: "FORWARD", target: "VMNET-FORWARD"),
        IptablesRuleset.Jump(table: "nat", builtinChain: "PREROUTING", target: "VMNET-PREROUTING"),
        IptablesRuleset.Jump(table: "nat", builtinChain: "OUTPUT", target: "VMNET-OUTPUT"),
        IptablesRuleset.Jump(table: "nat", builtinChain: "POSTROUTING", target: "VMNET-POSTROUTING"),
        IptablesRuleset.Jump(table: "mangle", builtinChain: "POSTROUTING", target: "VMNET-POSTROUTING"),
    ]
    public static let iptablesLabel = ""
    public static let rejectWith = "icmp-admin-prohibited"
    public static let dhcp = (name: "DHCP", serverPort: 67)
    public static func hostAccepts(from bridge: String) -> [String] { [] }
    public static func pingAccepts(from bridge: String) -> [String] { ["-A VMNET-INPUT -i \(bridge) -p icmp --icmp-type 8 -j ACCEPT"] }
    public static let egressBlockedRanges = EgressPolicy.privateRanges4
    public static let fillsDHCPChecksum = true
    public static let carriesPortForwards = true
    public static func gateway(of network: NetworkRecord) -> IPv4Address? { network.gateway }
}
