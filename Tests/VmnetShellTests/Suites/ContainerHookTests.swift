import Glibc
import Testing
@testable import VmnetShell
import VmnetCore

/// `vmnet container-hook` on the recording fakes and a temporary root: what it registers,
/// what it refuses (and that a refusal writes nothing), and what it leaves alone.
struct ContainerHookTests {
    static let network = try! NetworkName("lab")
    static let id = String(repeating: "c0ffee", count: 10) + "abcd"
    static let mac = "02:42:ac:11:00:02"
    static let containerPid: pid_t = 5001

    /// A world with one network up and a container process whose namespace shows `ip`.
    static func world(containerAt ip: (NetworkRecord) -> IPv4Address) throws -> (ControllerWorld, NetworkRecord, IPv4Address) {
        let world = ControllerWorld()
        let (record, _) = try world.controller.create(CreateRequest(name: network), start: true)
        let address = ip(record)
        try startContainer(in: world, pid: containerPid, ip: address, name: "web")
        return (world, record, address)
    }

    static func startContainer(in world: ControllerWorld, pid: pid_t, ip: IPv4Address, name: String) throws {
        world.log.processes[pid] = ["conmon"]
        try world.host.write("\(pid) (conmon) S" + String(repeating: " 0", count: 18) + " 777 0 0\n", to: "/proc/\(pid)/stat")
        try world.host.write(#"[{"id": "\#(id)", "names": ["\#(name)"]}]"#, to: "/var/lib/containers/storage/overlay-containers/containers.json")
        world.runner.replies.output["nsenter"] = """
            [{"ifname": "lo", "link_type": "loopback", "addr_info": []},
             {"ifname": "eth0", "link_type": "ether", "address": "\(mac)", "addr_info": [{"family": "inet", "local": "\(ip)", "prefixlen": 24}]}]
            """
    }

    static func state(pid: pid_t? = containerPid, id: String = id) -> String {
        let pidField = pid.map { "\"pid\": \($0), " } ?? ""
        return "{\"ociVersion\": \"1.0.2\", \"id\": \"\(id)\", \"status\": \"creating\", \(pidField)"
            + "\"bundle\": \"/var/lib/containers/storage/overlay-containers/\(id)/userdata\"}"
    }

    static func hook(_ world: ControllerWorld) -> ContainerHook { ContainerHook(paths: world.paths, collaborators: world.collaborators) }

    static func host(_ ip: UInt32, of record: NetworkRecord) -> IPv4Address { IPv4Address(record.subnet.network.value + ip) }

    @Test func registersTheContainersAddressAndName() throws {
        let (world, record, ip) = try Self.world { Self.host(10, of: $0) }
        #expect(try Self.hook(world).run(stage: "createRuntime", stateText: Self.state()) == [])
        let files = world.paths.dnsmasqFiles(of: Self.network)
        let registered = try world.controller.hosts.containers.all(files)
        #expect(registered.map(\.ip) == [ip] && registered.first?.name == "web" && registered.first?.started == 777)
        #expect(FileSystem.readIfPresent(files.containerDhcpHostsFile)?.contains(Self.mac) == true)
        #expect(FileSystem.readIfPresent(files.containerHostsFile)?.contains("\(ip) web.\(record.domain) web") == true,
                "\(FileSystem.readIfPresent(files.containerHostsFile) ?? "")")
        // Its namespace was read through nsenter, by argument array.
        #expect(world.runner.commands.all.contains(["nsenter", "--net=/proc/\(Self.containerPid)/ns/net", "ip", "-j", "address"]))
    }

    @Test func refusesTheGatewayAndWritesNothing() throws {
        let (world, record, _) = try Self.world { $0.gateway }
        #expect(throws: VmnetError.self) { try Self.hook(world).run(stage: "createRuntime", stateText: Self.state()) }
        do { _ = try Self.hook(world).run(stage: "createRuntime", stateText: Self.state()) } catch {
            #expect(error.code == .conflict && error.message.contains("\(record.gateway) is the network's gateway"), "\(error)")
        }
        #expect(try world.controller.hosts.containers.all(world.paths.dnsmasqFiles(of: Self.network)).isEmpty)
    }

    @Test func refusesAnAddressAnotherRunningContainerHolds() throws {
        let (world, _, ip) = try Self.world { Self.host(10, of: $0) }
        _ = try Self.hook(world).run(stage: "createRuntime", stateText: Self.state())
        let second = String(repeating: "d", count: 64)
        try Self.startContainer(in: world, pid: 5002, ip: ip, name: "api")
        do {
            _ = try Self.hook(world).run(stage: "createRuntime", stateText: Self.state(pid: 5002, id: second))
            Issue.record("a taken address was registered twice")
        } catch {
            #expect(error.code == .conflict && error.message.contains("\(ip) is used by container"), "\(error)")
        }
        #expect(try world.controller.hosts.containers.all(world.paths.dnsmasqFiles(of: Self.network)).map(\.id) == [Self.id])
    }

    @Test func takesTheAddressOfAContainerThatIsGone() throws {
        let (world, _, ip) = try Self.world { Self.host(10, of: $0) }
        _ = try Self.hook(world).run(stage: "createRuntime", stateText: Self.state())
        world.log.processes[Self.containerPid] = nil
        let second = String(repeating: "d", count: 64)
        try Self.startContainer(in: world, pid: 5002, ip: ip, name: "api")
        _ = try Self.hook(world).run(stage: "createRuntime", stateText: Self.state(pid: 5002, id: second))
        #expect(try world.controller.hosts.containers.all(world.paths.dnsmasqFiles(of: Self.network)).map(\.id) == [second])
    }

    @Test func aContainerOnNoVmnetNetworkIsLeftAlone() throws {
        let (world, _, _) = try Self.world { _ in IPv4Address("10.99.0.5")! }
        #expect(try Self.hook(world).run(stage: "createRuntime", stateText: Self.state()) == [])
        #expect(try world.controller.hosts.containers.all(world.paths.dnsmasqFiles(of: Self.network)).isEmpty)
    }

    @Test func poststopForgetsTheContainer() throws {
        let (world, _, _) = try Self.world { Self.host(10, of: $0) }
        _ = try Self.hook(world).run(stage: "createRuntime", stateText: Self.state())
        _ = try Self.hook(world).run(stage: "poststop", stateText: Self.state(pid: nil))
        let files = world.paths.dnsmasqFiles(of: Self.network)
        #expect(try world.controller.hosts.containers.all(files).isEmpty)
        #expect(FileSystem.readIfPresent(files.containerDhcpHostsFile) == "")
    }

    @Test func refusesAnUnknownStage() throws {
        let (world, _, _) = try Self.world { Self.host(10, of: $0) }
        do {
            _ = try Self.hook(world).run(stage: "prestop", stateText: Self.state())
            Issue.record("an unknown stage ran")
        } catch {
            #expect(error.code == .invalidInput && error.message.contains("unknown stage 'prestop'"), "\(error)")
        }
    }

    @Test func rootlessPodmanIsNeverVmnets() throws {
        let world = ControllerWorld(privileged: false)
        let hook = ContainerHook(paths: world.paths, collaborators: world.collaborators)
        #expect(try hook.run(stage: "createRuntime", stateText: Self.state()) == [])
        #expect(world.runner.commands.all.isEmpty)
    }

    @Test func aReservationOfARunningContainersAddressIsRefused() throws {
        let (world, _, ip) = try Self.world { Self.host(10, of: $0) }
        _ = try Self.hook(world).run(stage: "createRuntime", stateText: Self.state())
        do {
            _ = try world.controller.addHost(Self.network, host: "db", mac: "02:00:00:00:00:09", ip: ip.description)
            Issue.record("a container's address was reserved")
        } catch {
            #expect(error.code == .conflict && error.message.contains("\(ip) is used by container 'web'"), "\(error)")
        }
    }

    @Test func writingTheHostListsDropsContainersThatAreGone() throws {
        let (world, record, _) = try Self.world { Self.host(10, of: $0) }
        _ = try Self.hook(world).run(stage: "createRuntime", stateText: Self.state())
        world.log.processes[Self.containerPid] = nil
        #expect(try world.controller.hosts.writeHostLists(for: record, reservations: []))
        #expect(try world.controller.hosts.containers.all(world.paths.dnsmasqFiles(of: Self.network)).isEmpty)
    }
}
