import Glibc
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// podman containers on cluster networks, through vmnet's CNI plugin (`vmnet install NAME
/// --cni`, podman's CNI backend): a container on h2 gets an address from the containers'
/// range, resolves and reaches a VM-style guest on h3 by name over TCP, its own name
/// resolves from that guest, a container on h3 gets another address, and stopping a
/// container removes its port and names. NB is left as found.
extension OVNClusterSuites {
@Suite("Cluster containers, end to end")
struct ClusterContainerTests {
    static let name = "ctr"
    static let subnet = IPv4Subnet("10.151.0.0/24")!
    static let guestAddress = IPv4Address("10.151.0.10")!

    @Test("A podman container on h2 and a guest on h3 lease, resolve and talk; containers on two members; stop removes the port")
    func containersAcrossHosts() throws {
        let cluster = try OVNCluster.get().joinAll()
        let (h1, h2, h3) = (try cluster.host("h1"), try cluster.host("h2"), try cluster.host("h3"))
        let before = try cluster.nbRowCounts()
        try h1.vmnet("create", Self.name, "--cluster", "--subnet", Self.subnet.description).requireSuccess("creating \(Self.name)")
        defer { _ = try? h1.vmnet("destroy", Self.name) }
        let network = try #require(try Self.snapshot(cluster)).network

        // A VM-style guest on h3: `host add`, plugged as libvirt plugs the exported interface.
        try h1.vmnet("host", "add", Self.name, "g1", "--ip", Self.guestAddress.description).requireSuccess("adding g1")
        let xml = try h3.vmnet("export", Self.name, "--format", "libvirt-interface", "--host", "g1").requireSuccess("exporting g1").standardOutput
        let mac = try #require(Self.attribute("address", in: xml)), interfaceID = try #require(Self.attribute("interfaceid", in: xml))
        let guest = try cluster.plugGuest(on: h3, interfaceID: interfaceID, mac: mac, name: "ctr-g1")
        defer { try? cluster.unplugGuest(guest) }
        try cluster.waitForSync()
        let lease = try #require(try cluster.requestLease(in: guest, hostname: "g1"), "the guest on h3 got no lease")
        #expect(lease.address == Self.guestAddress)
        try Traffic.startEcho(in: guest, sandbox: cluster.sandbox)

        var podmen: [ClusterPodman] = []
        defer {
            for podman in podmen {
                _ = try? podman.podman(["rm", "-f", "-a"])
                _ = try? podman.host.vmnet("uninstall", Self.name, environment: podman.vmnetEnvironment)
            }
        }
        for host in [h2, h3] {
            let podman = try ClusterPodman(host: host)
            podmen.append(podman)
            let installed = try host.vmnet("install", Self.name, "--cni", environment: podman.vmnetEnvironment)
                .requireSuccess("installing the conflist on \(host.name)").standardOutput
            #expect(installed.contains("\(Self.name).conflist"), "\(installed)")
            #expect(FileSystem.realPath(podman.pluginDirectory + "/vmnet-ovn") == FileSystem.realPath(EndToEnd.binary))
        }
        let (onH2, onH3) = (podmen[0], podmen[1])

        // A container on h2: address, first packet to the guest on h3, the guest's name, TCP.
        let started = ContinuousClock.now
        let script = """
            ip -4 -o address show eth0
            read up rest < /proc/uptime; t0=${up%.*}${up#*.}; n=0
            until ping -c 1 -W 1 \(Self.guestAddress) >/dev/null 2>&1; do n=$((n+1)); [ $n -ge 20 ] && break; done
            read up rest < /proc/uptime; echo "first-reply-ms $(( (${up%.*}${up#*.} - t0) * 10 )) after $n lost"
            nslookup g1.\(Self.name).vmnet
            read up rest < /proc/uptime; t0=${up%.*}${up#*.}; n=0
            until echo over-tcp | nc -w 3 \(Self.guestAddress) \(Traffic.port); do n=$((n+1)); [ $n -ge 5 ] && break; done
            read up rest < /proc/uptime; echo "first-tcp-ms $(( (${up%.*}${up#*.} - t0) * 10 )) after $n failed"
            """
        let run = try onH2.podman(["run", "--rm", "--name", "c1", "--network", Self.name, "localhost/vmnet-bb", "sh", "-c", script])
        let runSeconds = OVNCluster.seconds(since: started)
        let output = run.standardOutput
        print("cluster containers: podman run on h2 took \(runSeconds) s; " + output.split(separator: "\n").filter { $0.hasPrefix("first-") }.joined(separator: "; "))
        #expect(run.succeeded, "\(run.standardError)")
        let containers = network.plan.containers
        let address = output.split(whereSeparator: \.isWhitespace).lazy.compactMap { IPv4Subnet.lenient(String($0)) != nil ? IPv4Address(String($0).split(separator: "/")[0]) : nil }.first
        #expect(address.map(containers.contains) == true, "the container's address is not in \(containers): \(output)")
        #expect(output.contains("first-reply-ms") && !output.contains("after 20 lost"), "no reply from the guest on h3: \(output)")
        #expect(output.contains("Address: \(Self.guestAddress)") || output.contains("Address 1: \(Self.guestAddress)"), "g1 does not resolve: \(output)")
        #expect(output.contains("over-tcp"), "no TCP to the guest on h3: \(output)")

        // Containers on two members: distinct addresses; names resolve from the guest on h3.
        try onH2.podman(["run", "-d", "--name", "web2", "--network", Self.name, "localhost/vmnet-bb", "sleep", "300"]).requireSuccess("starting web2 on h2")
        try onH3.podman(["run", "-d", "--name", "web3", "--network", Self.name, "localhost/vmnet-bb", "sleep", "300"]).requireSuccess("starting web3 on h3")
        let web2 = try Self.portAddress(cluster, container: "web2")
        let web3 = try Self.portAddress(cluster, container: "web3")
        #expect(web2 != nil && web3 != nil && web2 != web3, "web2 \(String(describing: web2)), web3 \(String(describing: web3))")
        #expect(web2.map(containers.contains) == true && web3.map(containers.contains) == true)
        try cluster.waitForSync()
        let lookup = try cluster.sandbox.run(in: guest, ["busybox", "nslookup", "web2.\(Self.name).vmnet", "198.51.100.2"]).standardOutput
        #expect(web2.map { lookup.contains($0.description) } == true, "web2 does not resolve from h3's guest: \(lookup)")
        if let web2 {
            let reverse = try cluster.sandbox.run(in: guest, ["busybox", "nslookup", web2.description, "198.51.100.2"]).standardOutput
            #expect(reverse.contains("web2.\(Self.name).vmnet"), "no PTR for web2: \(reverse)")
        }
        if let web3 { #expect(try cluster.ping(from: guest, web3), "the guest does not reach web3 on its own host") }

        // Stopping a container removes its port, its names, its OVS port and its veth.
        let web2Port = try Self.portName(cluster, container: "web2")
        try onH2.podman(["rm", "-f", "web2"]).requireSuccess("removing web2")
        #expect(try Self.portAddress(cluster, container: "web2") == nil)
        let records = try cluster.nbctl("--bare", "--columns=records", "find", "DNS", "external_ids:vmnet-network=\(Self.name)").standardOutput
        #expect(!records.contains("web2"), "web2's names stayed: \(records)")
        if let web2Port {
            let interface = OVNNames.containerInterface(web2Port)
            #expect(try h2.vsctl("--bare", "--columns=name", "find", "Interface", "name=\(interface)").standardOutput.isEmpty)
            #expect(!(try h2.run(["ip", "link", "show", interface]).succeeded), "\(interface) stayed on h2")
        }

        try onH3.podman(["rm", "-f", "web3"]).requireSuccess("removing web3")
        #expect(try Self.containerPorts(cluster).isEmpty)
        for podman in podmen {
            let removed = try podman.host.vmnet("uninstall", Self.name, environment: podman.vmnetEnvironment).requireSuccess("uninstalling").standardOutput
            #expect(removed.contains("removed"), "\(removed)")
            #expect(FileSystem.readLink(podman.pluginDirectory + "/vmnet-ovn") == nil)
        }
        podmen = []
        try cluster.unplugGuest(guest)
        try h1.vmnet("destroy", Self.name).requireSuccess("destroying \(Self.name)")
        #expect(try cluster.nbRowCounts() == before, "NB: \((try? cluster.nbShow()) ?? "")")
    }

    /// The network as NB records it, read with the plugin's own reads.
    static func snapshot(_ cluster: OVNCluster) throws -> ContainerPortPlanner.Snapshot? {
        let reads = ContainerPortPlanner.reads(network: try NetworkName(name))
        let reply = try cluster.central.run(["ovsdb-client", "--timeout=10", "transact", cluster.nbAddress,
                                             OVSDBTransaction(OVSDBTransaction.northbound, reads).text]).requireSuccess("reading NB").standardOutput
        let parsed = try OVSDBReply(json: JSONCodec.parse(reply, source: "ovsdb-client"), operations: reads)
        return ContainerPortPlanner.Snapshot(rows: reads.indices.map { parsed.rows($0) })
    }

    static func attribute(_ name: String, in xml: String) -> String? {
        guard let start = xml.split(separator: "\(name)='", maxSplits: 1).dropFirst().first else { return nil }
        return start.split(separator: "'").first.map(String.init)
    }

    /// The names of the container ports in NB (the network's ports with `-c-`).
    static func containerPorts(_ cluster: OVNCluster) throws -> [String] {
        let listed = try cluster.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "external_ids:vmnet-network=\(name)")
            .requireSuccess("listing ports").standardOutput
        return listed.split(whereSeparator: \.isWhitespace).map(String.init).filter { $0.hasPrefix("vmnet-\(name)-c-") }
    }

    static func portName(_ cluster: OVNCluster, container: String) throws -> String? {
        try cluster.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "external_ids:vmnet-container-name=\(container)")
            .requireSuccess("finding \(container)'s port").standardOutput.split(whereSeparator: \.isWhitespace).first.map(String.init)
    }

    static func portAddress(_ cluster: OVNCluster, container: String) throws -> IPv4Address? {
        let listed = try cluster.nbctl("--bare", "--columns=addresses", "find", "Logical_Switch_Port",
                                       "external_ids:vmnet-container-name=\(container)").requireSuccess("finding \(container)'s port").standardOutput
        return listed.split(whereSeparator: \.isWhitespace).lazy.compactMap { IPv4Address($0) }.first
    }
}
}
