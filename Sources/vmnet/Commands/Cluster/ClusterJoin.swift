import ArgumentParser
import VmnetCore
import VmnetShell

struct ClusterJoin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Make this host a chassis of an OVN cluster.",
        discussion: """
            Needs Open vSwitch and ovn-controller running on this host. Waits up to 10 s for the \
            chassis to appear in the southbound database; if it does not, nothing stays changed.
            """)

    @Option(help: "The OVN northbound database (tcp:IP:6641, ssl:IP:6641 or unix:PATH).")
    var nb: String

    @Option(help: "The OVN southbound database (default: the northbound address on port 6642).")
    var sb: String?

    @Option(name: .customLong("encap-ip"), help: "This host's address the other members reach its geneve tunnels at.")
    var encapIP: String

    @Option(help: "The chassis name (default: the local Open vSwitch's system-id, else the host name).")
    var chassis: String?

    @Flag(help: "Let NAT cluster networks leave through this host (a gateway chassis).")
    var gateway = false

    @Option(name: .customLong("ssl-key"), help: "For ssl: addresses: this host's private key (PEM).")
    var sslKey: String?

    @Option(name: .customLong("ssl-cert"), help: "For ssl: addresses: this host's certificate (PEM).")
    var sslCert: String?

    @Option(name: .customLong("ssl-ca"), help: "For ssl: addresses: the CA certificate the databases' certificates are checked against (PEM).")
    var sslCA: String?

    func run() throws {
        let request = try ClusterJoinRequest(northbound: nb, southbound: sb, encapIP: encapIP, chassis: chassis, gateway: gateway)
        switch try Context().cluster().join(request, ssl: try ssl(for: request)) {
        case .alreadyJoined(let config):
            Output.note("already joined as chassis '\(config.chassis)' of \(config.northbound)")
        case .joined(let config):
            Output.text("joined \(config.northbound) as chassis '\(config.chassis)' (encap \(config.encapIP)\(config.gateway ? ", gateway" : ""))")
        }
    }

    /// All three files, or none; an ssl: address needs them, and they must exist.
    private func ssl(for request: ClusterJoinRequest) throws(VmnetError) -> ClusterConfig.SSL? {
        let usesSSL = (request.northbound.endpoints + request.southbound.endpoints).contains { $0.kind == .ssl }
        guard let sslKey, let sslCert, let sslCA else {
            if sslKey != nil || sslCert != nil || sslCA != nil { throw .invalid("--ssl-key, --ssl-cert and --ssl-ca go together: give all three") }
            if usesSSL { throw .invalid("an ssl: database address needs --ssl-key, --ssl-cert and --ssl-ca") }
            return nil
        }
        for (flag, path) in [("--ssl-key", sslKey), ("--ssl-cert", sslCert), ("--ssl-ca", sslCA)] where !FileSystem.exists(path) {
            throw .invalid("\(flag) \(path): no such file")
        }
        return ClusterConfig.SSL(privateKey: sslKey, certificate: sslCert, caCertificate: sslCA)
    }
}
