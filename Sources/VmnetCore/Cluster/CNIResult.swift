import JSON

/// What the plugin prints for ADD: the container's interface, address, routes and DNS, in
/// the shape of the CNI version the caller speaks (0.3.x/0.4.0 tag each IP with its version;
/// 1.0.0 does not).
public struct CNIResult: Hashable, Sendable {
    public var links: ContainerLinks
    public var networkNamespace: String
    public var nameservers: [IPv4Address]
    public var domain: String

    public init(links: ContainerLinks, networkNamespace: String, nameservers: [IPv4Address], domain: String) {
        self.links = links
        self.networkNamespace = networkNamespace
        self.nameservers = nameservers
        self.domain = domain
    }

    public func json(version: String) -> JSONValue {
        let port = links.port
        // podman refuses an interface without a MAC ("invalid MAC address").
        let interface: JSONObject = ["name": .string(links.interfaceName), "mac": .string(port.mac.description), "sandbox": .string(networkNamespace)]
        var ip: JSONObject = version.hasPrefix("0.") ? ["version": "4"] : [:]
        ip["address"] = .string("\(port.address)/\(port.prefixLength)")
        if let gateway = links.gateway { ip["gateway"] = .string(gateway.description) }
        ip["interface"] = 0
        var result: JSONObject = ["cniVersion": .string(version), "interfaces": [.object(interface)], "ips": [.object(ip)]]
        if let gateway = links.gateway { result["routes"] = [.object(["dst": "0.0.0.0/0", "gw": .string(gateway.description)])] }
        result["dns"] = .object(["nameservers": JSONValue(nameservers.map(\.description)), "domain": .string(domain), "search": [.string(domain)]])
        return .object(result)
    }

    /// VERSION's answer.
    public static func versions(_ version: String) -> JSONValue {
        .object(["cniVersion": .string(version), "supportedVersions": JSONValue(CNINetworkConfig.supportedVersions)])
    }

    /// A failure as the CNI spec wants it on standard output: codes 1-99 are the spec's
    /// (7 invalid network configuration), 100 and up the plugin's own (here 100 + vmnet's
    /// exit status, so the kind of failure survives).
    public static func error(_ error: VmnetError, version: String) -> JSONValue {
        let code: Int = error.code == .invalidInput ? 7 : 100 + Int(error.exitStatus)
        return .object(["cniVersion": .string(version), "code": .integer(Int64(code)), "msg": .string(error.message)])
    }
}
