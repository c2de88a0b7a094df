import Testing
import VmnetSandbox
import VmnetShell

/// A host-only cluster network made on h1 for one test, with the guests the test plugs:
/// `finish()` unplugs them, destroys the network and checks NB is as it was before; `deinit`
/// does the same cleanup without the check when the test failed half-way.
final class ScratchClusterNetwork {
    let cluster: OVNCluster
    let name: String
    let maker: ClusterHost
    private let before: [String: Int]
    private(set) var guests: [String] = []
    private var finished = false

    init(_ name: String, on cluster: OVNCluster) throws {
        self.cluster = cluster
        self.name = name
        maker = try cluster.host("h1")
        before = try cluster.nbRowCounts()
        try maker.vmnet("create", name, "--profile", "ovn-host-only").requireSuccess("creating \(name)")
    }

    /// `vmnet host add` on h1, then a guest on `host` plugged as libvirt plugs the port.
    func plugVM(_ vm: String, mac: String, on host: ClusterHost, extra: [String] = []) throws -> (namespace: String, added: ProcessResult) {
        let added = try maker.run([EndToEnd.binary, "host", "add", name, vm, "--mac", mac] + extra).requireSuccess("adding \(vm)")
        let namespace = try cluster.plugGuest(on: host, interfaceID: "vmnet-\(name)-\(vm)", mac: mac, name: "\(name)-\(vm)")
        guests.append(namespace)
        return (namespace, added)
    }

    func finish(sourceLocation: SourceLocation = #_sourceLocation) throws {
        for guest in guests { try cluster.unplugGuest(guest) }
        guests = []
        try maker.vmnet("destroy", name).requireSuccess("destroying \(name)")
        finished = true
        #expect(try cluster.nbRowCounts() == before, sourceLocation: sourceLocation)
    }

    deinit {
        guard !finished else { return }
        for guest in guests { try? cluster.unplugGuest(guest) }
        _ = try? maker.vmnet("destroy", name)
    }
}
