import JSON

/// Renders a CNI conflist for podman's CNI backend and nerdctl: host-local IPAM over the
/// container range of each address family (a range set per family). The bridge plugin only
/// attaches containers to vmnet's bridge: `isGateway` stays false because with true it
/// insists on owning the bridge address (and `forceAddress` would delete vmnet's), and
/// `ipMasq` stays false because vmnet's firewall does NAT.
public enum CNIConflist {
    public static let cniVersion = "0.4.0"

    public static func render(_ network: NetworkRecord) -> String {
        let plan = network.plan
        let range: JSONObject = [
            "subnet": .string(network.subnet.description),
            "rangeStart": .string(plan.containers.start.description),
            "rangeEnd": .string(plan.containers.end.description),
            "gateway": .string(plan.gateway.description),
        ]
        var routes: [JSONValue] = [.object(["dst": "0.0.0.0/0", "gw": .string(plan.gateway.description)])]
        var ranges: [JSONValue] = [[.object(range)]]
        if let subnet6 = network.subnet6, let plan6 = network.plan6 {
            routes.append(.object(["dst": "::/0", "gw": .string(plan6.gateway.description)]))
            ranges.append([.object([
                "subnet": .string(subnet6.description),
                "rangeStart": .string(plan6.containers.lowerBound.description),
                "rangeEnd": .string(plan6.containers.upperBound.description),
                "gateway": .string(plan6.gateway.description),
            ])])
        }
        var ipam: JSONObject = ["type": "host-local"]
        if network.mode == .nat { ipam["routes"] = .array(routes) }
        ipam["ranges"] = .array(ranges)
        let bridge: JSONObject = [
            "type": "bridge",
            "bridge": .string(network.bridge),
            "isGateway": false,
            "ipMasq": false,
            "hairpinMode": true,
            "mtu": .integer(Int64(network.effectiveMTU)),
            "ipam": .object(ipam),
        ]
        let conflist: JSONObject = [
            "cniVersion": .string(cniVersion),
            "name": .string(network.name.value),
            "plugins": [
                .object(bridge),
                .object(["type": "portmap", "capabilities": .object(["portMappings": true])]),
            ],
        ]
        return JSONCodec.serialize(.object(conflist))
    }
}
