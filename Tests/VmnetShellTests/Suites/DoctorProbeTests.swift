import Glibc
import Testing
@testable import VmnetShell
import VmnetCore

/// `vmnet doctor`'s reads of /sys and /proc (the bridge's flags and ports, the socket tables,
/// dnsmasq's descriptors, other processes' sockets, the host lists' access) on the recording
/// fakes and a temporary root: no root, no links, no processes.
struct DoctorProbeTests {
    static let network = try! NetworkName("lab")
    static let socketHeader = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"

    /// A network up on the fakes, and a host whose /sys and /proc show it healthy: the bridge
    /// up with its keeper port, dnsmasq holding the gateway's :53 and 0.0.0.0:67.
    final class Healthy {
        let world = ControllerWorld()
        let record: NetworkRecord
        let dnsmasqPid: pid_t
        var udp: [String] = []
        var tcp: [String] = []

        init() throws {
            (record, _) = try world.controller.create(CreateRequest(name: DoctorProbeTests.network), start: true)
            dnsmasqPid = try #require(world.log.processes.keys.first)
            try world.host.write("0x1003\n", to: "/sys/class/net/\(record.bridge)/flags")
            try world.host.write("", to: "/sys/class/net/\(record.bridge)/brif/\(BridgeNamer.keeperPort(for: record.bridge).port)")
            try listen(.udp, record.gateway, 53, inode: 1001, pid: dnsmasqPid)
            try listen(.udp, IPv4Address(0), 67, inode: 1002, pid: dnsmasqPid)
            try listen(.tcp, record.gateway, 53, inode: 1003, pid: dnsmasqPid)
        }

        /// A listening socket in /proc/net/udp or tcp, held by `pid` (a link in /proc/PID/fd).
        func listen(_ proto: SocketEntry.Proto, _ address: IPv4Address, _ port: UInt16, inode: UInt64, pid: pid_t) throws {
            func hex(_ value: UInt32, _ width: Int) -> String {
                let digits = String(value, radix: 16, uppercase: true)
                return String(repeating: "0", count: width - digits.count) + digits
            }
            // The kernel prints the address in network byte order read as a little-endian word.
            let local = hex(address.value.byteSwapped, 8) + ":" + hex(UInt32(port), 4)
            let line = "   0: \(local) 00000000:0000 \(proto == .tcp ? "0A" : "07") 00000000:00000000 00:00000000 00000000     0        0 \(inode) 2 0000000000000000 0"
            if proto == .tcp { tcp.append(line) } else { udp.append(line) }
            try writeSocketTables()
            try world.host.link("/proc/\(pid)/fd/\(inode)", to: "socket:[\(inode)]")
        }

        func writeSocketTables() throws {
            try world.host.write(DoctorProbeTests.socketHeader + udp.joined(separator: "\n") + "\n", to: "/proc/net/udp")
            try world.host.write(DoctorProbeTests.socketHeader + tcp.joined(separator: "\n") + "\n", to: "/proc/net/tcp")
        }

        /// Each check's finding.
        func findings() throws -> [String: DoctorFinding] {
            let all = try world.controller.doctorProbe.findings([record], all: [record])
            return Dictionary(all.map { ($0.check, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    @Test func aHealthyNetworkPassesTheChecksThatReadTheHost() throws {
        let host = try Healthy()
        let findings = try host.findings()
        for check in ["bridge", "bridge-up", "ports", "dnsmasq", "dnsmasq-listening", "dnsmasq-files", "foreign-dhcp-dns", "ip-forward"] {
            #expect(findings[check]?.status == .ok, "\(check): \(findings[check]?.detail ?? "missing")")
        }
        #expect(findings["ports"]?.detail == "ports: \(BridgeNamer.keeperPort(for: host.record.bridge).port)")
        #expect(findings["dnsmasq-listening"]?.detail == "listens on \(host.record.gateway):53 and :67")
    }

    @Test func aMissingBridgeAndABridgeSetDownAreNamed() throws {
        let host = try Healthy()
        try host.world.host.write("0x1002\n", to: "/sys/class/net/\(host.record.bridge)/flags")
        #expect(try host.findings()["bridge-up"]?.status == .fail)
        FileSystem.removeTree(host.world.host.inside("/sys/class/net/\(host.record.bridge)"))
        let findings = try host.findings()
        #expect(findings["bridge"]?.status == .fail && findings["bridge"]?.detail == "bridge \(host.record.bridge) is missing")
    }

    @Test func aDnsmasqThatIsGoneOrDeafFails() throws {
        let host = try Healthy()
        host.udp.removeFirst()
        try host.writeSocketTables()
        let deaf = try host.findings()["dnsmasq-listening"]
        #expect(deaf?.status == .fail && deaf?.detail == "dnsmasq does not listen on \(host.record.gateway):53/udp", "\(deaf?.detail ?? "")")
        host.world.log.processes[host.dnsmasqPid] = nil
        let gone = try host.findings()["dnsmasq"]
        #expect(gone?.status == .fail && gone?.detail.contains("pid \(host.dnsmasqPid), which is not this network's dnsmasq") == true, "\(gone?.detail ?? "")")
    }

    @Test func anotherServerOnTheWildcardAddressIsNamedWithItsProcess() throws {
        let host = try Healthy()
        try host.listen(.udp, IPv4Address(0), 53, inode: 2001, pid: 777)
        try host.world.host.write("named\n", to: "/proc/777/comm")
        let foreign = try host.findings()["foreign-dhcp-dns"]
        #expect(foreign?.status == .fail && foreign?.detail.hasPrefix("0.0.0.0:53/udp is held by named, pid 777") == true, "\(foreign?.detail ?? "")")
    }

    @Test func hostListsDnsmasqsUserCannotReachFail() throws {
        let host = try Healthy()
        let directory = host.world.paths.stateDirectory(of: Self.network)
        chmod(directory, 0o700)
        defer { chmod(directory, 0o755) }
        let files = try host.findings()["dnsmasq-files"]
        #expect(files?.status == .fail, "\(files?.detail ?? "")")
    }

    @Test func anotherToolsNetworkOnTheSubnetIsACollision() throws {
        let host = try Healthy()
        #expect(try host.findings()["subnet"]?.status == .ok)
        try host.world.host.write(#"{"name": "other", "subnets": [{"subnet": "\#(host.record.subnet)"}]}"#, to: host.world.root + "/podman/other.json")
        let subnet = try host.findings()["subnet"]
        #expect(subnet?.status == .fail && subnet?.detail.contains("podman network 'other'") == true, "\(subnet?.detail ?? "")")
    }
}
