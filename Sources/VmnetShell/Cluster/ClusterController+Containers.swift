import Glibc
import JSON
import VmnetCore

/// Containers on cluster networks: the CNI plugin's ADD, DEL and CHECK (podman's CNI backend
/// runs the vmnet binary as `vmnet-ovn`), and `vmnet install NAME --cni` for a cluster network.
extension ClusterController {
    /// ADD: the container's port and names in NB, the veth, its host end on br-int; returns
    /// the CNI result. A failure undoes what was done.
    public func addContainer(_ request: CNIRequest, config: CNINetworkConfig) throws(VmnetError) -> JSONValue {
        let doing = "attaching container \(request.containerID.prefix(12)) to '\(config.network)'"
        let northbound = try northbound(doing: doing)
        var planned: (port: ContainerPort, network: ClusterNetwork)?
        _ = try northbound.transactRetrying(doing: doing) { () throws(VmnetError) -> OVSDBTransaction in
            let snapshot = try containerSnapshot(config.network, northbound: northbound, doing: doing)
            let (port, operations) = try ContainerPortPlanner.add(snapshot, containerID: request.containerID,
                                                                  containerName: request.containerName, chassis: self.config?.chassis)
            planned = (port, snapshot.network)
            return OVSDBTransaction(OVSDBTransaction.northbound, operations)
        }
        guard let (port, network) = planned else { throw .failed("\(doing): no port was planned") }
        let links = ContainerLinks(port: port, interfaceName: request.interfaceName, mtu: network.mtu,
                                   gateway: network.mode == .nat ? network.gateway : nil)
        try Revert.run { (revert) throws(VmnetError) in
            revert.add("removing the port from \(northbound.role)") { () throws(VmnetError) in
                try removeContainerPort(request.containerID, network: config.network, northbound: northbound, doing: doing)
            }
            let localSwitch = localSwitch(config)
            let bridges = try localSwitch.select(ContainerPortPlanner.integrationBridge, database: OVSDBTransaction.openVSwitch, doing: doing)
            guard let bridge = bridges.first?.first else {
                throw .failed("\(doing): \(localSwitch.role) at \(localSwitch.address) has no bridge \(OVNNames.integrationBridge): is ovn-controller running here, and has this host joined ('vmnet cluster status')?")
            }
            revert.add("deleting \(port.hostInterface)") { () throws(VmnetError) in _ = try runner.run(["ip", "link", "delete", port.hostInterface]) }
            let inContainer = ["nsenter", "--net=\(request.networkNamespace)"]
            try runner.check(inContainer + ["ip", "-batch", "-"], input: links.containerBatch(hostProcess: getpid()),
                             doing: "\(doing): making its veth in \(request.networkNamespace)")
            if ContainerLinks.needsChecksumFill(datapathType: bridge.string("datapath_type")) {
                _ = try ExecutableLocator.require("ethtool")
                try runner.check(inContainer + links.checksumCommand, doing: "\(doing): turning off checksum offload on \(links.interfaceName)")
            }
            try runner.check(["ip", "-batch", "-"], input: links.hostBatch, doing: "\(doing): bringing up \(port.hostInterface)")
            revert.add("unplugging \(port.hostInterface) from \(OVNNames.integrationBridge)") { () throws(VmnetError) in
                try unplug(port.hostInterface, localSwitch: localSwitch, doing: doing)
            }
            _ = try localSwitch.transact(OVSDBTransaction(OVSDBTransaction.openVSwitch, ContainerPortPlanner.plug(port)), doing: doing)
            if try waitUntilInstalled(port.hostInterface, localSwitch: localSwitch, doing: doing), ExecutableLocator.find("busybox") != nil {
                _ = try runner.run(inContainer + links.announceCommand)
            }
        }
        return CNIResult(links: links, networkNamespace: request.networkNamespace, nameservers: network.dnsServers, domain: network.domain)
            .json(version: request.cniVersion)
    }

    /// DEL: the reverse of ADD, each part only when present (podman may call it twice, or
    /// after a failed ADD).
    public func deleteContainer(_ request: CNIRequest, config: CNINetworkConfig) throws(VmnetError) {
        let doing = "detaching container \(request.containerID.prefix(12)) from '\(config.network)'"
        let interface = OVNNames.containerInterface(OVNNames.containerPort(config.network, containerID: request.containerID))
        try unplug(interface, localSwitch: localSwitch(config), doing: doing)
        // Deleting the host end deletes the pair; gone already when the namespace went first.
        let deleted = try runner.run(["ip", "link", "delete", interface])
        if !deleted.succeeded && !deleted.standardError.contains("Cannot find device") {
            throw .failed("\(doing): deleting \(interface): \(deleted.failureSummary)")
        }
        try removeContainerPort(request.containerID, network: config.network, northbound: try northbound(doing: doing), doing: doing)
    }

    /// CHECK: the port is in NB, and its veth is up on br-int here.
    public func checkContainer(_ request: CNIRequest, config: CNINetworkConfig) throws(VmnetError) {
        let doing = "checking container \(request.containerID.prefix(12)) on '\(config.network)'"
        let snapshot = try containerSnapshot(config.network, northbound: try northbound(doing: doing), doing: doing)
        guard let row = snapshot.port(of: request.containerID) else {
            throw .notFound("\(doing): \(OVNNames.containerPort(config.network, containerID: request.containerID)) is not in the northbound database")
        }
        let interface = OVNNames.containerInterface(row.string("name") ?? "")
        let plugged = try localSwitch(config).select(ContainerPortPlanner.plugged(interface), database: OVSDBTransaction.openVSwitch, doing: doing)
        guard plugged.first?.isEmpty == false else { throw .notFound("\(doing): \(interface) is not on \(OVNNames.integrationBridge)") }
    }

    /// Waits (≤ 3 s) until ovn-controller has bound the port here, so the container's first
    /// packets are not dropped; false when it did not (ADD still succeeds: the port binds later).
    private func waitUntilInstalled(_ interface: String, localSwitch: OVSDBClient, doing: String) throws(VmnetError) -> Bool {
        let deadline = ContinuousClock.now + .seconds(3)
        repeat {
            let rows = try localSwitch.select(ContainerPortPlanner.installed(interface), database: OVSDBTransaction.openVSwitch, doing: doing)
            if rows.first?.first?.map("external_ids")["ovn-installed"] == "true" { return true }
            usleep(10_000)
        } while ContinuousClock.now < deadline
        warnings.add("\(doing): ovn-controller has not bound \(interface) within 3 s: is it running ('vmnet cluster status')?")
        return false
    }

    private func localSwitch(_ config: CNINetworkConfig) -> OVSDBClient {
        OVSDBClient(runner: runner, address: config.localSwitch, role: "the local Open vSwitch database")
    }

    private func containerSnapshot(_ network: NetworkName, northbound: OVSDBClient, doing: String) throws(VmnetError) -> ContainerPortPlanner.Snapshot {
        let rows = try northbound.select(ContainerPortPlanner.reads(network: network), database: OVSDBTransaction.northbound, doing: doing)
        guard let snapshot = ContainerPortPlanner.Snapshot(rows: rows) else {
            throw .notFound("\(doing): \(northbound.role) at \(northbound.address) has no cluster network '\(network)': see 'vmnet list'")
        }
        return snapshot
    }

    private func removeContainerPort(_ containerID: String, network: NetworkName, northbound: OVSDBClient, doing: String) throws(VmnetError) {
        let rows = try northbound.select(ContainerPortPlanner.reads(network: network), database: OVSDBTransaction.northbound, doing: doing)
        // The network itself is gone (destroyed with the container still there): nothing of ours is left.
        guard let snapshot = ContainerPortPlanner.Snapshot(rows: rows) else { return }
        let operations = ContainerPortPlanner.delete(snapshot, containerID: containerID)
        guard !operations.isEmpty else { return }
        _ = try northbound.transact(OVSDBTransaction(OVSDBTransaction.northbound, operations), doing: doing)
    }

    private func unplug(_ interface: String, localSwitch: OVSDBClient, doing: String) throws(VmnetError) {
        let ports = try localSwitch.select(ContainerPortPlanner.plugged(interface), database: OVSDBTransaction.openVSwitch, doing: doing)
        guard let uuid = ports.first?.first?.uuid else { return }
        _ = try localSwitch.transact(OVSDBTransaction(OVSDBTransaction.openVSwitch, ContainerPortPlanner.unplug(portUUID: uuid)), doing: doing)
    }
}

extension ClusterController {
    /// `vmnet install NAME --cni` for a cluster network (checked in NB first). Only CNI: podman's
    /// netavark 1.4 runs no plugins, and VMs join with `host add` and the exported interface.
    public func installRuntimes(_ name: NetworkName, kinds: [RuntimeKind]) throws(VmnetError) -> [String] {
        let doing = "installing runtime definitions of cluster network '\(name)'"
        if kinds.contains(.podman) {
            throw .invalid("\(doing): podman's netavark backend (1.4) runs no network plugins: use --cni with podman's CNI backend (network_backend = \"cni\")")
        }
        if kinds.contains(.libvirt) {
            throw .invalid("\(doing): libvirt VMs join a cluster network per VM: use 'vmnet host add \(name) VM' and 'vmnet export \(name) --format libvirt-interface --host VM'")
        }
        _ = try containerSnapshot(name, northbound: try northbound(doing: doing), doing: doing)
        let config = CNINetworkConfig(network: name, stateDirectory: paths.stateDirectory, configDirectory: paths.configDirectory,
                                      localSwitch: endpoints.localSwitch)
        return try ClusterCNIInstaller(environment: environment).install(config)
    }

    /// `vmnet uninstall NAME` for a cluster network: NB is not asked (the network may be gone).
    public func uninstallRuntimes(_ name: NetworkName, kinds: [RuntimeKind]?) -> [String] {
        guard kinds?.contains(.cni) ?? true else { return [] }
        return ClusterCNIInstaller(environment: environment).uninstall(name)
    }
}
