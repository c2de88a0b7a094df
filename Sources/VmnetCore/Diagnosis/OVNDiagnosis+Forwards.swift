extension OVNDiagnosis {
    /// `ovn-forwards` on a gateway host: every forward of the NAT networks it serves has its
    /// DNAT in this host's `inet vmnet-cluster-gw` table (`listing`: `nft list table`'s output,
    /// nil when the table is missing). vmnet has no daemon, so a forward added on another host
    /// reaches this one only at its next `vmnet up`.
    public static func forwards(_ wanted: [ClusterGatewayRuleset.Forward], listing: String?) -> DoctorFinding {
        let fix = "run 'vmnet up' on this host: it puts the forwards NB holds into \(ClusterGatewayRuleset.table)"
        let missing = wanted.filter { forward in
            !(listing ?? "").contains("\(forward.proto.rawValue) dport \(forward.port) dnat ip to \(forward.routerAddress)")
        }
        guard let first = missing.first else {
            return .ok(nil, "ovn-forwards", wanted.isEmpty ? "no cluster forwards through this gateway" : "all \(wanted.count) cluster forwards through this gateway are in place")
        }
        let more = missing.count > 1 ? " (and \(missing.count - 1) more)" : ""
        return DoctorFinding(network: nil, check: "ovn-forwards", status: .fail,
                             detail: "this gateway does not forward \(first.port)/\(first.proto.rawValue) to \(first.routerAddress) as NB asks\(more)", fix: fix)
    }
}
