import JSON
import VmnetCore

/// This host's cluster membership, `VMNET_CONFIG_DIR/cluster.json`, written by `vmnet cluster
/// join` and removed by `leave`. Only where the databases are and what join changed in the
/// local Open vSwitch: the networks themselves live in the northbound database.
public struct ClusterConfig: Hashable, Sendable {
    public struct SSL: Hashable, Sendable {
        public var privateKey: String
        public var certificate: String
        public var caCertificate: String

        public init(privateKey: String, certificate: String, caCertificate: String) {
            self.privateKey = privateKey
            self.certificate = certificate
            self.caCertificate = caCertificate
        }
    }

    public var northbound: String
    public var southbound: String
    public var chassis: String
    public var encapIP: String
    public var gateway: Bool
    public var ssl: SSL?
    /// The Open_vSwitch external_ids join replaced, with their values before (absent keys are
    /// recorded as null), so that leave puts the host back as it was.
    public var previous: [String: String?]

    public init(northbound: String, southbound: String, chassis: String, encapIP: String, gateway: Bool,
                ssl: SSL? = nil, previous: [String: String?] = [:]) {
        self.northbound = northbound
        self.southbound = southbound
        self.chassis = chassis
        self.encapIP = encapIP
        self.gateway = gateway
        self.ssl = ssl
        self.previous = previous
    }

    public static let version = 1

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("version", .integer(Int64(ClusterConfig.version))), ("nb", .string(northbound)), ("sb", .string(southbound)),
            ("chassis", .string(chassis)), ("encap_ip", .string(encapIP)), ("gateway", .bool(gateway)),
        ]
        if let ssl {
            members.append(("ssl", .object(JSONObject([("private_key", .string(ssl.privateKey)), ("certificate", .string(ssl.certificate)),
                                                        ("ca_cert", .string(ssl.caCertificate))]))))
        }
        members.append(("previous", .object(JSONObject(previous.sorted { $0.key < $1.key }.map { ($0.key, JSONValue($0.value)) }))))
        return .object(JSONObject(members))
    }

    public static func decode(_ text: String, file: String) throws(VmnetError) -> ClusterConfig {
        let json: JSONValue
        do { json = try JSONCodec.parse(text, source: file) } catch { throw .failed("reading \(file): \(error)") }
        func string(_ key: String) throws(VmnetError) -> String {
            guard let value = json[key]?.stringValue, !value.isEmpty else { throw .failed("reading \(file): \(key): missing or not a string") }
            return value
        }
        guard json["version"]?.intValue == version else { throw .failed("reading \(file): version: expected \(version)") }
        var ssl: SSL?
        if let object = json["ssl"], !object.isNull {
            guard let key = object["private_key"]?.stringValue, let certificate = object["certificate"]?.stringValue,
                  let ca = object["ca_cert"]?.stringValue else { throw .failed("reading \(file): ssl: needs private_key, certificate and ca_cert") }
            ssl = SSL(privateKey: key, certificate: certificate, caCertificate: ca)
        }
        var previous: [String: String?] = [:]
        for (key, value) in json["previous"]?.objectValue?.members ?? [] { previous[key] = value.stringValue }
        return ClusterConfig(northbound: try string("nb"), southbound: try string("sb"), chassis: try string("chassis"),
                             encapIP: try string("encap_ip"), gateway: json["gateway"]?.boolValue ?? false, ssl: ssl, previous: previous)
    }

    public static func file(in paths: Paths) -> String { paths.configDirectory + "/cluster.json" }

    /// This host's membership, nil when it has not joined a cluster.
    public static func load(_ paths: Paths) throws(VmnetError) -> ClusterConfig? {
        let file = file(in: paths)
        return try StateFile.read(file, fix: "fix or remove it ('vmnet cluster leave --force' rewrites nothing it cannot read)") { (text) throws(VmnetError) in
            try decode(text, file: file)
        }
    }

    public func save(_ paths: Paths) throws(VmnetError) {
        try FileSystem.makeDirectories(paths.configDirectory)
        try FileSystem.writeAtomically(JSONCodec.serialize(json) + "\n", to: ClusterConfig.file(in: paths), durable: true)
    }
}
