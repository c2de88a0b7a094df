import JSON

/// Renders a CNI conflist for podman's CNI backend and nerdctl. The bridge plugin only
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
        var ipam: JSONObject = ["type": "host-local"]
        if network.mode == .nat {
            ipam["routes"] = [.object(["dst": "0.0.0.0/0", "gw": .string(plan.gateway.description)])]
        }
        ipam["ranges"] = [[.object(range)]]
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
