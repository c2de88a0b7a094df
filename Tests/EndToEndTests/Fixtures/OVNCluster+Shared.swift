import Glibc
import VmnetSandbox
import VmnetShell

/// The one OVN cluster of the test process: started by the first test that asks, with the
/// echo server on its internet, torn down at exit.
extension OVNCluster {
    /// For `.enabled(if:)`: under CI always (a missing tool then fails the test).
    static var enabled: Bool { EndToEnd.isCI || (EndToEnd.enabled && missingPrograms.isEmpty) }

    static func get() throws -> OVNCluster { try SharedOVNCluster.started.get() }

    /// Why the cluster could not start, thrown to every test that asks (a rethrown expectation
    /// failure would count as already recorded, and later tests would pass).
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }
}

private enum SharedOVNCluster {
    static let started = Result { () throws(OVNCluster.Unavailable) -> OVNCluster in
        do {
            try EndToEnd.requirePrerequisites()
            let cluster = try OVNCluster.make(vmnetBinary: EndToEnd.binary)
            running = cluster
            atexit { SharedOVNCluster.running?.tearDown() }
            try Traffic.startEcho(in: cluster.internet, sandbox: cluster.sandbox)
            return cluster
        } catch {
            throw OVNCluster.Unavailable(description: "the OVN cluster for the tests did not start: \(error)")
        }
    }
    /// What the exit handler tears down (reading `started` there would start a cluster).
    nonisolated(unsafe) static var running: OVNCluster?
}
