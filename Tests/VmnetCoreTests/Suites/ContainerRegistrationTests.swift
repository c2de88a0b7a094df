import JSON
import Testing
import VmnetCore

@Suite struct ContainerRegistrationTests {
    let network = Fixtures.web
    let db = HostReservation(name: "db", mac: MACAddress("02:00:00:00:00:01")!, ip: IPv4Address("10.140.7.2")!)
    let webMAC = MACAddress("ee:fe:6c:ad:a3:7b")!

    /// What podman 4.3 with runc gave the hook at createRuntime (annotations shortened).
    static let createState = #"""
        {"ociVersion":"1.0.2-dev","id":"ef1b6bf18c25ece9ac1adfcb6b3538068d012f8bc979a402d5b54080cc6ebf97","status":"creating","pid":11721,"bundle":"/var/lib/containers/storage/overlay-containers/ef1b6bf18c25ece9ac1adfcb6b3538068d012f8bc979a402d5b54080cc6ebf97/userdata","annotations":{"io.container.manager":"libpod"}}
        """#
    /// And at poststop: no pid.
    static let stopState = #"""
        {"ociVersion":"1.0.2-dev","id":"ef1b6bf18c25ece9ac1adfcb6b3538068d012f8bc979a402d5b54080cc6ebf97","status":"stopped","bundle":"/var/lib/containers/storage/overlay-containers/ef1b6bf18c25ece9ac1adfcb6b3538068d012f8bc979a402d5b54080cc6ebf97/userdata","annotations":{}}
        """#
    /// `ip -j address` inside that container (trimmed to the fields vmnet reads and a few more).
    static let interfaces = #"""
        [{"ifindex":1,"ifname":"lo","link_type":"loopback","address":"00:00:00:00:00:00","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]},
         {"ifindex":2,"link_index":3,"ifname":"eth0","link_type":"ether","address":"ee:fe:6c:ad:a3:7b","addr_info":[{"family":"inet","local":"10.140.7.70","prefixlen":24},{"family":"inet6","local":"fe80::ecfe:6cff:fead:a37b","prefixlen":64}]},
         {"ifindex":4,"ifname":"eth1","link_type":"ether","address":"ee:fe:6c:ad:a3:7c","addr_info":[{"family":"inet","local":"10.89.0.2","prefixlen":24}]}]
        """#

    var state: OCIState { get throws { try OCIState.parse(Self.createState) } }
    var parsed: [ContainerInterface] { get throws { try ContainerInterface.parse(ipJSON: Self.interfaces) } }

    @Test func theOCIStateAndTheContainersNameAreRead() throws {
        let state = try self.state
        #expect(state.pid == 11721 && state.status == "creating" && state.id.count == 64)
        #expect(state.storageContainersFile == "/var/lib/containers/storage/overlay-containers/containers.json")
        let list = #"[{"id": "other", "names": ["x"]}, {"id": "\#(state.id)", "names": ["web1"], "image": "efad"}]"#
        #expect(state.name(inStorageList: list) == "web1")
        #expect(state.name(inStorageList: "[]") == nil && state.name(inStorageList: "{broken") == nil)
        let stopped = try OCIState.parse(Self.stopState)
        #expect(stopped.pid == nil && stopped.id == state.id)
        #expect(throws: VmnetError.self) { try OCIState.parse("{}") }
        #expect(throws: VmnetError.self) { try OCIState.parse("not json") }
    }

    @Test func interfacesInsideTheContainerAreRead() throws {
        let interfaces = try parsed
        #expect(interfaces.map(\.name) == ["eth0", "eth1"])
        #expect(interfaces[0].mac == webMAC && interfaces[0].addresses == [IPv4Address("10.140.7.70")!])
        #expect(throws: VmnetError.self) { try ContainerInterface.parse(ipJSON: "{}") }
    }

    private func register(name: String?, reservations: [HostReservation] = [], leases: [DHCPLease] = [],
                          existing: [ContainerRegistration] = [], interfaces: [ContainerInterface]? = nil) throws -> [ContainerRegistration]? {
        try ContainerRegistrar.register(container: try state, name: name, interfaces: try interfaces ?? parsed, network: network,
                                        reservations: reservations, leases: leases, existing: existing, now: 1000)
    }

    @Test func onlyTheNetworksAddressIsRegisteredWithTheContainersMAC() throws {
        let list = try #require(try register(name: "web1", reservations: [db]))
        #expect(list == [ContainerRegistration(id: try state.id, name: "web1", mac: webMAC, ip: IPv4Address("10.140.7.70")!, pid: 11721)])
        // Registering again replaces the container's own entry; another container's stays.
        let other = ContainerRegistration(id: "other", name: "web2", mac: MACAddress("02:00:00:00:00:33")!, ip: IPv4Address("10.140.7.71")!, pid: 1)
        let again = try #require(try register(name: "web1", existing: list + [other]))
        #expect(again.map(\.name) == ["web1", "web2"])
        // A container on no interface of the network is none of vmnet's business.
        let elsewhere = [ContainerInterface(name: "eth0", mac: webMAC, addresses: [IPv4Address("10.89.0.2")!])]
        #expect(try register(name: "web1", interfaces: elsewhere) == nil)
    }

    @Test func addressesOfOthersAreRefused() throws {
        func refused(_ ip: String, reservations: [HostReservation] = [], leases: [DHCPLease] = [], existing: [ContainerRegistration] = []) -> String? {
            let interfaces = [ContainerInterface(name: "eth0", mac: webMAC, addresses: [IPv4Address(ip)!])]
            do {
                _ = try register(name: "web1", reservations: reservations, leases: leases, existing: existing, interfaces: interfaces)
                return nil
            } catch let error as VmnetError {
                #expect(error.code == .conflict)
                return error.message
            } catch { return "\(error)" }
        }
        #expect(refused("10.140.7.1")?.contains("10.140.7.1 is the network's gateway") == true)
        #expect(refused("10.140.7.255")?.contains("not a host address") == true)
        #expect(refused("10.140.7.2", reservations: [db])?.contains("reserved for host 'db'") == true)
        let lease = DHCPLease(expires: 2000, mac: MACAddress("02:00:00:00:00:09")!, ip: IPv4Address("10.140.7.200")!, hostname: "vm")
        #expect(refused("10.140.7.200", leases: [lease])?.contains("leased to 02:00:00:00:00:09") == true)
        // An expired lease no longer holds its address.
        let expired = DHCPLease(expires: 999, mac: lease.mac, ip: lease.ip, hostname: "vm")
        #expect(refused("10.140.7.200", leases: [expired]) == nil)
        let other = ContainerRegistration(id: "other", name: "web2", mac: MACAddress("02:00:00:00:00:33")!, ip: IPv4Address("10.140.7.71")!, pid: 1)
        #expect(refused("10.140.7.71", existing: [other])?.contains("used by container 'web2'") == true)
        #expect(refused("10.140.7.200") == nil)
    }

    @Test func aNameSomeoneHoldsIsNotPublished() throws {
        func note(_ name: String?, leases: [DHCPLease] = [], existing: [ContainerRegistration] = []) throws -> String? {
            try #require(try register(name: name, reservations: [db], leases: leases, existing: existing)).first { $0.id == (try state.id) }?.note
        }
        #expect(try note("web1") == nil)
        #expect(try note("db") == LeaseEntry.takenByReservation)
        let lease = DHCPLease(expires: 0, mac: MACAddress("02:00:00:00:00:09")!, ip: IPv4Address("10.140.7.200")!, hostname: "vm")
        #expect(try note("vm", leases: [lease]) == LeaseEntry.takenByClient)
        let other = ContainerRegistration(id: "other", name: "web2", mac: MACAddress("02:00:00:00:00:33")!, ip: IPv4Address("10.140.7.71")!, pid: 1)
        #expect(try note("web2", existing: [other]) == ContainerRegistration.takenByContainer)
        #expect(try note("my_app") == ContainerRegistration.notADNSName)
        #expect(try note(nil) == nil)
    }

    @Test func aLaterReservationTakesItsNameButNeverAContainersAddress() throws {
        let web1 = ContainerRegistration(id: "a", name: "web1", mac: webMAC, ip: IPv4Address("10.140.7.70")!, pid: 1)
        let named = HostReservation(name: "web1", mac: MACAddress("02:00:00:00:00:05")!, ip: IPv4Address("10.140.7.5")!)
        let admitted = try ContainerRegistrar.admit(named, network: network.name, registrations: [web1])
        #expect(admitted.map(\.publishedName) == [nil] && admitted.first?.note == LeaseEntry.takenByReservation)
        let onItsAddress = HostReservation(name: "other", mac: MACAddress("02:00:00:00:00:05")!, ip: web1.ip)
        #expect(throws: VmnetError(.conflict, "reserving 'other' on 'web': 10.140.7.70 is used by container 'web1': choose another --ip, or stop the container first")) {
            try ContainerRegistrar.admit(onItsAddress, network: network.name, registrations: [web1])
        }
        #expect(try ContainerRegistrar.admit(db, network: network.name, registrations: [web1]) == [web1])
    }

    @Test func hostListsAndHookFilesMatchTheirGoldenFiles() throws {
        let registrations = [
            ContainerRegistration(id: "b", name: "web2", mac: MACAddress("02:00:00:00:00:33")!, ip: IPv4Address("10.140.7.71")!, pid: 2, started: 4_711),
            ContainerRegistration(id: "a", name: "web1", mac: webMAC, ip: IPv4Address("10.140.7.70")!, pid: 1),
            ContainerRegistration(id: "c", name: "db", mac: MACAddress("02:00:00:00:00:34")!, ip: IPv4Address("10.140.7.72")!, pid: 3,
                                  note: LeaseEntry.takenByReservation),
        ]
        try GoldenFile.check(ContainerHostsFiles.addnHosts(registrations, domain: network.domain), "container-hosts.txt")
        try GoldenFile.check(ContainerHostsFiles.dhcpHosts(registrations), "container-dhcp-hosts.txt")
        let environment = ["VMNET_STATE_DIR": "/tmp/s", "HOME": "/root", "PATH": "/usr/bin:/bin"]
        try GoldenFile.check(OCIHookFile.render(executable: "/usr/local/bin/vmnet", stage: "createRuntime", environment: environment),
                             "oci-hook-createRuntime.json")
        let text = ContainerRegistration.encode(registrations)
        #expect(try ContainerRegistration.decode(JSONCodec.serialize(text), file: "c.json") == registrations.sorted { $0.ip < $1.ip })
    }

    @Test func leasesShowRegisteredContainersOnceWithTheirNameOrWhyNot() throws {
        let registered = [
            ContainerRegistration(id: "a", name: "web1", mac: webMAC, ip: IPv4Address("10.140.7.70")!, pid: 1),
            ContainerRegistration(id: "c", name: "db", mac: MACAddress("02:00:00:00:00:34")!, ip: IPv4Address("10.140.7.72")!, pid: 3,
                                  note: LeaseEntry.takenByReservation),
        ]
        let late = DHCPLease(expires: 2000, mac: MACAddress("02:00:00:00:00:09")!, ip: IPv4Address("10.140.7.200")!, hostname: "web1")
        let entries = LeaseEntry.merge(network: "web", leases: [late], reservations: [db],
                                       containers: [(IPv4Address("10.140.7.70")!, "abc"), (IPv4Address("10.140.7.75")!, "def")], registered: registered)
        #expect(entries.map(\.ip.description) == ["10.140.7.2", "10.140.7.70", "10.140.7.72", "10.140.7.75", "10.140.7.200"])
        #expect(entries.map(\.hostname) == ["db", "web1", nil, "def", nil])
        // A DHCP client asking later for a container's name does not get it.
        #expect(entries[4].requestedName == "web1" && entries[4].note == ContainerRegistration.takenByContainer)
        #expect(entries[1].mac == webMAC.description && entries[1].source == .container)
        #expect(entries[2].requestedName == "db" && entries[2].note == LeaseEntry.takenByReservation)
    }
}
