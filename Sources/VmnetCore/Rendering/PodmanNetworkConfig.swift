import JSON

/// Renders a Podman network file (netavark format) that puts containers on the vmnet bridge
/// with addresses from the plan's container range, which never overlaps dnsmasq's pool; with
/// IPv6 on, a second subnet whose container range never overlaps what DHCPv6 hands out.
public enum PodmanNetworkConfig {
    /// Names Podman gives a meaning of its own to `--network`.
    public static let reservedNames: Set<String> = [
        "host", "none", "bridge", "private", "pod", "container", "ns", "slirp4netns", "pasta", "podman", "default",
    ]

    public static func problem(with name: NetworkName) -> String? {
        guard reservedNames.contains(name.value) else { return nil }
        return "podman gives '--network \(name)' a meaning of its own: recreate the network under another name to use it with podman"
    }

    public static func render(_ network: NetworkRecord) -> String {
        let plan = network.plan
        var options: JSONObject = [
            // netavark >= 1.14 then leaves the bridge and the firewall to vmnet.
            "mode": "unmanaged",
            "isolate": "false",
        ]
        if let mtu = network.mtu { options["mtu"] = .string(String(mtu)) }
        var subnets: [JSONValue] = [
            .object([
                "subnet": .string(network.subnet.description),
                "gateway": .string(plan.gateway.description),
                "lease_range": .object([
                    "start_ip": .string(plan.containers.start.description),
                    "end_ip": .string(plan.containers.end.description),
                ]),
            ])
        ]
        if let subnet6 = network.subnet6, let plan6 = network.plan6 {
            subnets.append(.object([
                "subnet": .string(subnet6.description),
                "gateway": .string(plan6.gateway.description),
                "lease_range": .object([
                    "start_ip": .string(plan6.containers.lowerBound.description),
                    "end_ip": .string(plan6.containers.upperBound.description),
                ]),
            ]))
        }
        let config: JSONObject = [
            "name": .string(network.name.value),
            "id": .string(SHA256.hexDigest(network.name.value)),
            "driver": "bridge",
            "network_interface": .string(network.bridge),
            "created": .string(network.created),
            "subnets": .array(subnets),
            "ipv6_enabled": .bool(network.subnet6 != nil),
            "internal": .bool(network.mode == .hostOnly),
            // vmnet's dnsmasq already serves DNS on the gateway; aardvark-dns would fight it for port 53.
            "dns_enabled": false,
            "ipam_options": .object(["driver": "host-local"]),
            "options": .object(options),
            "labels": .object(["vmnet.network": .string(network.name.value), "vmnet.domain": .string(network.domain)]),
        ]
        return JSONCodec.serialize(.object(config))
    }
}
