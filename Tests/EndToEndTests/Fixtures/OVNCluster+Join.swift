import VmnetCore
import VmnetSandbox
import VmnetShell

/// The cluster as the cluster suites expect it: every host joined with `vmnet cluster join`,
/// chassis named after the host, h1 and h2 gateways.
extension OVNCluster {
    static let gatewayHosts: Set<String> = ["h1", "h2"]

    /// `vmnet cluster join`'s arguments for `host` in the shared cluster.
    func joinArguments(_ host: ClusterHost) -> [String] {
        ["cluster", "join", "--nb", nbAddress, "--encap-ip", host.underlayAddress.description, "--chassis", host.name]
            + (OVNCluster.gatewayHosts.contains(host.name) ? ["--gateway"] : [])
    }

    /// Joins every host; idempotent (a host joined the same way is left as it is, one joined
    /// otherwise leaves with --force first). Returns the cluster for chaining.
    @discardableResult
    func joinAll() throws -> OVNCluster {
        for host in hosts {
            var joined = try host.run([EndToEnd.binary] + joinArguments(host))
            if joined.status == VmnetError.Code.conflict.rawValue {
                try host.vmnet("cluster", "leave", "--force").requireSuccess("leaving before joining \(host.name) again")
                joined = try host.run([EndToEnd.binary] + joinArguments(host))
            }
            _ = try joined.requireSuccess("joining \(host.name)")
        }
        return self
    }
}
