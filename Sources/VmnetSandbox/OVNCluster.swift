import Glibc
import JSON
import VmnetCore
import VmnetShell

/// Three machines running real Open vSwitch (userspace datapath) and OVN, in namespaces:
///
///     internet (198.51.100.2, fake DNS, echo server; no route out)
///        |  198.51.100.11        |  198.51.100.12
///       h1 (central, gateway)   h2 (gateway)          h3
///        |  172.31.255.11        |  .12                |  .13   (on each host's br-phy)
///     switch (a Linux bridge: the underlay)
///
/// h1 also runs the NB and SB databases (tcp:172.31.255.11:6641/6642) and ovn-northd. Every
/// host runs ovn-controller, unconfigured: `vmnet cluster join` (or `configureChassisByHand`)
/// sets system-id, ovn-remote and the encapsulation. The end-to-end tests share one (each
/// removes the NB rows and guests it made); the benchmark starts its own.
public final class OVNCluster: @unchecked Sendable {
    public static let programs = ["ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovsdb-client", "ovn-northd", "ovn-controller",
                           "ovn-nbctl", "ovn-sbctl", "nsenter", "unshare", "setsid"]
    static let underlayPrefix = 24
    static let internetAddress = Sandbox.uplinkAddress

    public static var missingPrograms: [String] { programs.filter { ExecutableLocator.find($0) == nil } }

    public let sandbox: Sandbox
    public let hosts: [ClusterHost]
    /// The fake internet both gateways' uplinks reach.
    public let internet: String
    /// Seconds from the first namespace to every host's daemons running.
    public let bootSeconds: Double
    private var guests: [String: (host: ClusterHost, port: String)] = [:]
    private var guestCount = 0

    public var central: ClusterHost { hosts[0] }
    public var nbAddress: String { "tcp:\(central.underlayAddress):6641" }
    public var sbAddress: String { "tcp:\(central.underlayAddress):6642" }

    public func host(_ name: String) throws -> ClusterHost {
        guard let host = hosts.first(where: { $0.name == name }) else { throw VmnetError.notFound("no cluster host \(name)") }
        return host
    }

    private init(sandbox: Sandbox, hosts: [ClusterHost], internet: String, bootSeconds: Double) {
        self.sandbox = sandbox
        self.hosts = hosts
        self.internet = internet
        self.bootSeconds = bootSeconds
    }

    /// Starts the three hosts (torn down again if any of it fails); `vmnetBinary` is what
    /// `ClusterHost.vmnet` runs. The caller tears it down (`tearDown`).
    public static func make(vmnetBinary: String) throws -> OVNCluster {
        let missing = missingPrograms
        guard missing.isEmpty else { throw VmnetError(.missingDependency, "missing programs: \(missing.joined(separator: ", ")); run scripts/install-deps --test") }
        let start = ContinuousClock.now
        let sandbox = try Sandbox(tag: "ovn")
        var hosts: [ClusterHost] = []
        do {
            let underlay = try sandbox.addNamespace("switch")
            let internet = try sandbox.addNamespace("internet")
            for (index, name) in ["h1", "h2", "h3"].enumerated() {
                hosts.append(ClusterHost(name: name, namespace: try sandbox.addNamespace(name),
                                         underlayAddress: IPv4Address("172.31.255.\(11 + index)")!,
                                         uplinkAddress: index < 2 ? IPv4Address("198.51.100.\(11 + index)")! : nil,
                                         isCentral: index == 0, sandbox: sandbox, vmnetBinary: vmnetBinary))
            }
            try wire(hosts, underlay: underlay, internet: internet, sandbox: sandbox)
            // The three hosts start their daemons in parallel (~0.7 s for all).
            for host in hosts { try host.launch() }
            for host in hosts { try host.waitUntilStarted() }
            try sandbox.startFakeUpstreamDNS(in: internet)
            return OVNCluster(sandbox: sandbox, hosts: hosts, internet: internet, bootSeconds: seconds(since: start))
        } catch {
            for host in hosts.reversed() { host.tearDown() }
            sandbox.tearDown()
            throw error
        }
    }

    /// The underlay switch and the internet bridge, and each host's veths into them. The
    /// underlay veth (eth1) stays unaddressed: its host's br-phy takes it as a port.
    private static func wire(_ hosts: [ClusterHost], underlay: String, internet: String, sandbox: Sandbox) throws {
        let runner = sandbox.runner
        for (namespace, bridge) in [(underlay, "underlay"), (internet, "internet")] {
            try runner.check(["ip", "-n", namespace, "link", "add", bridge, "type", "bridge"], doing: "adding \(bridge)")
            try runner.check(["ip", "-n", namespace, "link", "set", bridge, "up"], doing: "raising \(bridge)")
        }
        try runner.check(["ip", "-n", internet, "address", "add", "\(internetAddress)/24", "dev", "internet"], doing: "addressing the internet")
        for host in hosts {
            try runner.check(["ip", "-n", underlay, "link", "add", "u-\(host.name)", "type", "veth", "peer", "name", "eth1", "netns", host.namespace],
                             doing: "linking \(host.name) to the underlay")
            try runner.check(["ip", "-n", underlay, "link", "set", "u-\(host.name)", "master", "underlay", "up"], doing: "attaching \(host.name)")
            try runner.check(["ip", "-n", host.namespace, "link", "set", "eth1", "up"], doing: "raising \(host.name)'s eth1")
            guard let uplink = host.uplinkAddress else { continue }
            try runner.check(["ip", "-n", internet, "link", "add", "i-\(host.name)", "type", "veth", "peer", "name", "up0", "netns", host.namespace],
                             doing: "linking \(host.name) to the internet")
            try runner.check(["ip", "-n", internet, "link", "set", "i-\(host.name)", "master", "internet", "up"], doing: "attaching \(host.name)'s uplink")
            try runner.check(["ip", "-n", host.namespace, "address", "add", "\(uplink)/24", "dev", "up0"], doing: "addressing \(host.name)'s up0")
            try runner.check(["ip", "-n", host.namespace, "link", "set", "up0", "up"], doing: "raising \(host.name)'s up0")
            try runner.check(["ip", "-n", host.namespace, "route", "add", "default", "via", "\(internetAddress)"], doing: "routing \(host.name) out")
        }
    }

    // MARK: chassis

    /// What `vmnet cluster join` does, done by hand: system-id = the host's name, ovn-remote =
    /// SB, geneve with the underlay address.
    public func configureChassisByHand(_ host: ClusterHost) throws {
        try host.vsctl("set", "open", ".", "external_ids:system-id=\(host.name)", "external_ids:ovn-remote=\(sbAddress)",
                       "external_ids:ovn-encap-type=geneve", "external_ids:ovn-encap-ip=\(host.underlayAddress)")
            .requireSuccess("configuring \(host.name) as a chassis")
    }

    /// Undoes `configureChassisByHand` and removes the chassis from SB.
    public func unconfigureChassis(_ host: ClusterHost) throws {
        try host.vsctl("remove", "open", ".", "external_ids", "system-id", "ovn-remote", "ovn-encap-type", "ovn-encap-ip")
            .requireSuccess("unconfiguring \(host.name)")
        _ = try sbctl("--if-exists", "chassis-del", host.name)
    }

    /// Names in SB's Chassis table.
    public func chassisNames() throws -> Set<String> {
        let listed = try sbctl("--bare", "--columns=name", "list", "Chassis").requireSuccess("listing SB chassis").standardOutput
        return Set(listed.split(whereSeparator: \.isNewline).map(String.init))
    }

    /// Waits (up to `seconds`) until every named chassis is in SB.
    public func waitForChassis(_ names: [String], seconds: Double = 10) throws -> Bool {
        var found = false
        var failure: Error?
        found = OVNCluster.poll(seconds: seconds) {
            do { return Set(names).isSubset(of: try chassisNames()) } catch { failure = error; return false }
        }
        if !found, let failure { throw failure }
        return found
    }

    public func stopController(_ host: ClusterHost) { host.stopController() }

    public func startController(_ host: ClusterHost) throws { try host.startController() }

    /// Kills every OVS and OVN daemon of the host (for h1 also NB, SB and northd).
    public func stopHost(_ host: ClusterHost) { host.stopDaemons() }

    /// Starts the host's daemons again on their old databases (chassis settings kept).
    public func restartHost(_ host: ClusterHost) throws {
        host.stopDaemons()
        try host.startDaemons()
    }

    // MARK: central databases

    /// ovn-nbctl against NB, from h1.
    @discardableResult
    public func nbctl(_ arguments: String...) throws -> ProcessResult {
        try central.run(["ovn-nbctl", "--db=\(nbAddress)", "--timeout=10"] + arguments)
    }

    /// ovn-sbctl against SB, from h1.
    @discardableResult
    public func sbctl(_ arguments: String...) throws -> ProcessResult {
        try central.run(["ovn-sbctl", "--db=\(sbAddress)", "--timeout=10"] + arguments)
    }

    /// Until every chassis has applied NB's current state (`ovn-nbctl --wait=hv sync`). A
    /// stopped ovn-controller leaves its chassis in SB and makes this wait time out.
    public func waitForSync(seconds: Int = 10) throws {
        try central.run(["ovn-nbctl", "--db=\(nbAddress)", "--timeout=\(seconds)", "--wait=hv", "sync"])
            .requireSuccess("waiting for every chassis to apply NB")
    }

    /// Rows per NB table, for "leaves NB as it found it" checks.
    public func nbRowCounts() throws -> [String: Int] {
        let tables = try central.run(["ovsdb-client", "--timeout=10", "list-tables", nbAddress, "OVN_Northbound"])
            .requireSuccess("listing NB tables").standardOutput
            .split(whereSeparator: \.isNewline).dropFirst(2).map { $0.filter { !$0.isWhitespace } }
        let selects = tables.map { #"{"op":"select","table":"\#($0)","where":[],"columns":["_uuid"]}"# }
        let reply = try central.run(["ovsdb-client", "--timeout=10", "transact", nbAddress,
                                     #"["OVN_Northbound",\#(selects.joined(separator: ","))]"#]).requireSuccess("counting NB rows")
        guard let results = try JSONCodec.parse(reply.standardOutput, source: "ovsdb-client transact").arrayValue else {
            throw VmnetError.failed("counting NB rows: the reply is not an array")
        }
        var counts: [String: Int] = [:]
        for (table, result) in zip(tables, results) { counts[table] = result["rows"]?.arrayValue?.count ?? -1 }
        return counts
    }

    public func nbShow() throws -> String { try nbctl("show").requireSuccess("showing NB").standardOutput }

    // MARK: guests

    /// A guest plugged into `host`'s br-int the way libvirt plugs `<virtualport
    /// type='openvswitch'>`: a namespace whose eth0 (with `mac`) is a veth whose other end is
    /// an OVS port with external_ids iface-id, attached-mac and iface-status. Returns the
    /// guest's namespace.
    public func plugGuest(on host: ClusterHost, interfaceID: String, mac: String, name: String) throws -> String {
        guestCount += 1
        let guest = try sandbox.addNamespace("g-\(name)")
        let port = "vg\(guestCount)"
        let runner = sandbox.runner
        try runner.check(["ip", "-n", host.namespace, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", guest, "address", mac],
                         doing: "adding guest \(name) on \(host.name)")
        guests[guest] = (host, port)
        try runner.check(["ip", "-n", host.namespace, "link", "set", port, "up"], doing: "raising \(port)")
        try runner.check(["ip", "-n", guest, "link", "set", "eth0", "up"], doing: "raising \(name)'s eth0")
        try runner.check(["ip", "netns", "exec", guest, "ethtool", "-K", "eth0", "tx", "off"], doing: "checksumming \(name)'s packets itself")
        try host.vsctl("add-port", "br-int", port, "--", "set", "Interface", port, "external_ids:iface-id=\(interfaceID)",
                       "external_ids:attached-mac=\(mac)", "external_ids:iface-status=active").requireSuccess("plugging \(name) into \(host.name)'s br-int")
        return guest
    }

    /// Unplugs the guest from br-int, kills what runs in it and deletes its namespace.
    public func unplugGuest(_ guest: String) throws {
        guard let (host, port) = guests.removeValue(forKey: guest) else { return }
        try host.vsctl("--if-exists", "del-port", "br-int", port).requireSuccess("unplugging \(guest)")
        _ = try sandbox.runner.run(["ip", "-n", host.namespace, "link", "delete", port])
        // What a test started in the guest (an echo server) would keep the namespace alive.
        for word in try sandbox.runner.run(["ip", "netns", "pids", guest]).standardOutput.split(whereSeparator: \.isWhitespace) {
            if let pid = pid_t(word), pid > 1 { kill(pid, SIGKILL) }
        }
        _ = try sandbox.runner.run(["ip", "netns", "delete", guest])
    }

    /// A DHCP lease from OVN (busybox udhcpc); the lease's MTU is set on eth0, as a full
    /// DHCP client would (geneve needs the smaller MTU for TCP to pass).
    public func requestLease(in guest: String, hostname: String) throws -> Sandbox.Lease? {
        guard let lease = try sandbox.requestLease(in: guest, hostname: hostname) else { return nil }
        if let mtu = lease.mtu {
            try sandbox.run(in: guest, ["ip", "link", "set", "eth0", "mtu", "\(mtu)"]).requireSuccess("setting the lease's MTU")
        }
        return lease
    }

    public func ping(from guest: String, _ address: IPv4Address) throws -> Bool { try sandbox.ping(from: guest, address) }

    // MARK: helpers

    /// Polls `check` every 20 ms for up to `seconds`.
    public static func poll(seconds: Double, until check: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if check() { return true }
            usleep(20_000)
        }
        return check()
    }

    public static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public func tearDown() {
        for host in hosts.reversed() { host.tearDown() }
        sandbox.tearDown()
    }
}
