import Glibc
import VmnetCore
import VmnetSandbox
import VmnetShell

/// The cluster rows: three real OVS/OVN hosts in namespaces of their own (`OVNCluster`, the
/// lab the end-to-end tests use), vmnet joined on each. Creates and destroys timed on h2 (a
/// member whose northbound database is on h1, one underlay hop away); leases and round trips
/// between guests plugged into br-int the way libvirt plugs them.
struct ClusterScenarios {
    let lab: OVNCluster
    let repeats: Int

    static func start(vmnetBinary: String, repeats: Int) throws -> ClusterScenarios {
        let lab = try OVNCluster.make(vmnetBinary: vmnetBinary)
        do {
            for host in lab.hosts {
                var arguments = ["cluster", "join", "--nb", lab.nbAddress, "--encap-ip", host.underlayAddress.description]
                if host.uplinkAddress != nil { arguments.append("--gateway") }
                try host.run([vmnetBinary] + arguments).requireSuccess("joining \(host.name)")
            }
            return ClusterScenarios(lab: lab, repeats: repeats)
        } catch {
            lab.tearDown()
            throw error
        }
    }

    func stop() { lab.tearDown() }

    private var member: ClusterHost { lab.hosts[1] }

    @discardableResult
    private func vmnet(on host: ClusterHost, _ arguments: String...) throws -> ProcessResult {
        try host.run([host.vmnetBinary] + arguments).requireSuccess("vmnet \(arguments.prefix(3).joined(separator: " ")) on \(host.name)")
    }

    private func timed(on host: ClusterHost, _ arguments: String...) throws -> Double {
        try Stopwatch.measure { try host.run([host.vmnetBinary] + arguments).requireSuccess("vmnet \(arguments.prefix(3).joined(separator: " "))") }
    }

    /// One round trip to the northbound database from the member, through the same nsenter a
    /// vmnet command pays: what "on top of NB latency" subtracts.
    func northboundRoundTrip() throws -> Double {
        var times: [Double] = []
        for _ in 0..<repeats {
            times.append(try Stopwatch.measure {
                try member.run(["ovsdb-client", "transact", lab.nbAddress, #"["OVN_Northbound"]"#]).requireSuccess("an empty NB transaction")
            })
        }
        return Stopwatch.median(times)
    }

    /// Create and destroy of one cluster network, then of 20 in sequence.
    func createAndDestroy() throws -> [Figure] {
        let latency = try northboundRoundTrip()
        var creates: [Double] = []
        var destroys: [Double] = []
        for round in 0..<repeats {
            creates.append(try timed(on: member, "create", "bc\(round)", "--cluster", "--profile", "ovn-host-only", "--no-ipv6"))
            destroys.append(try timed(on: member, "destroy", "bc\(round)"))
        }
        let create = Stopwatch.median(creates)
        let manyCreate = try Stopwatch.measure {
            for index in 0..<20 { try vmnet(on: member, "create", "bm\(index)", "--cluster", "--profile", "ovn-host-only", "--no-ipv6") }
        }
        let manyDestroy = try Stopwatch.measure {
            for index in 0..<20 { try vmnet(on: member, "destroy", "bm\(index)") }
        }
        let overLatency = create - latency
        return [
            Figure(name: "cluster: one NB round trip (member, nsenter)", vmnet: latency, baseline: nil, unit: "ms", target: "-", passed: true),
            Figure(name: "cluster: create 1 network", vmnet: create, baseline: nil, unit: "ms",
                   target: "< 100 ms over NB (\(Figure.format(overLatency)))", passed: overLatency < 100),
            Figure(name: "cluster: destroy 1 network", vmnet: Stopwatch.median(destroys), baseline: nil, unit: "ms", target: "-", passed: true),
            Figure(name: "cluster: create 20 networks", vmnet: manyCreate, baseline: nil, unit: "ms", target: "-", passed: true),
            Figure(name: "cluster: destroy 20 networks", vmnet: manyDestroy, baseline: nil, unit: "ms", target: "-", passed: true),
        ]
    }

    /// From plugging a VM's port on h3 (the network made on h2) to its first lease from OVN,
    /// and TCP round trips between guests on two hosts and on one.
    func leaseAndRoundTrips() throws -> [Figure] {
        try vmnet(on: member, "create", "blease", "--cluster", "--profile", "ovn-host-only", "--no-ipv6")
        defer { _ = try? member.run([member.vmnetBinary, "destroy", "blease"]) }
        var leases: [Double] = []
        var guests: [String: (namespace: String, address: IPv4Address)] = [:]
        defer { for guest in guests.values { try? lab.unplugGuest(guest.namespace) } }
        let remote = lab.hosts[2]
        for round in 0..<min(repeats, 5) {
            let vm = "vm\(round)"
            let mac = "52:54:00:be:00:" + (round < 16 ? "0" : "") + String(round, radix: 16)
            try vmnet(on: member, "host", "add", "blease", vm, "--mac", mac)
            var guest = ""
            var lease: Sandbox.Lease?
            let elapsed = try Stopwatch.measure {
                guest = try lab.plugGuest(on: remote, interfaceID: OVNNames.guestPort(try NetworkName("blease"), host: vm), mac: mac, name: "b\(vm)")
                lease = try lab.requestLease(in: guest, hostname: vm)
            }
            guard let lease else { throw VmnetError.failed("no lease from OVN for \(vm) on \(remote.name)") }
            leases.append(elapsed)
            guests[vm] = (guest, lease.address)
        }
        // A third guest on h2 for the round trips: vm0 (h3) ↔ local (h2) crosses hosts, vm0 ↔ vm1 (both h3) does not.
        try vmnet(on: member, "host", "add", "blease", "local", "--mac", "52:54:00:be:01:01")
        let localGuest = try lab.plugGuest(on: member, interfaceID: OVNNames.guestPort(try NetworkName("blease"), host: "local"),
                                           mac: "52:54:00:be:01:01", name: "blocal")
        guard let localLease = try lab.requestLease(in: localGuest, hostname: "local") else { throw VmnetError.failed("no lease for the guest on h2") }
        guests["local"] = (localGuest, localLease.address)
        guard let server = guests["vm0"], let sameHost = guests["vm1"] else { throw VmnetError.failed("too few guests for round trips") }
        try startEchoServer(in: server.namespace)
        let across = try roundTrip(from: localGuest, to: server.address)
        let within = try roundTrip(from: sameHost.namespace, to: server.address)
        let lease = Stopwatch.median(leases)
        return [
            Figure(name: "cluster: plug to first lease on a remote host", vmnet: lease, baseline: nil, unit: "ms", target: "< 500 ms", passed: lease < 500),
            Figure(name: "cluster: TCP round trip across hosts (geneve)", vmnet: across, baseline: within, unit: "ms", target: "-", passed: true),
        ]
    }

    private static let echoScript = """
        import socket, sys
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", 7777)); s.listen(4)
        while True:
            c, _ = s.accept(); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while True:
                d = c.recv(64)
                if not d: break
                c.sendall(d)
            c.close()
        """

    /// Median of 200 one-byte TCP request/response round trips, in milliseconds.
    private static let clientScript = """
        import socket, sys, time
        c = socket.create_connection((sys.argv[1], 7777), timeout=5); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        times = []
        for _ in range(200):
            t = time.perf_counter(); c.sendall(b"x"); c.recv(64); times.append((time.perf_counter() - t) * 1000)
        times.sort(); print(times[len(times) // 2])
        """

    private func startEchoServer(in namespace: String) throws {
        let path = lab.sandbox.directory + "/bench-echo.py"
        try FileSystem.writeAtomically(ClusterScenarios.echoScript, to: path)
        try lab.sandbox.run(in: namespace, ["sh", "-c", "python3 \(path) </dev/null >/dev/null 2>&1 &"]).requireSuccess("starting the echo server")
        usleep(300_000)
    }

    private func roundTrip(from namespace: String, to address: IPv4Address) throws -> Double {
        let path = lab.sandbox.directory + "/bench-rtt.py"
        try FileSystem.writeAtomically(ClusterScenarios.clientScript, to: path)
        let output = try lab.sandbox.run(in: namespace, ["python3", path, address.description]).requireSuccess("timing round trips").standardOutput
        guard let value = Double(output.filter { !$0.isWhitespace }) else { throw VmnetError.failed("round trip output '\(output)'") }
        return value
    }
}
