/// Decides the ports with fixed addresses on a cluster network (VMs by `vmnet host add`, and
/// each member host's attachment) and the northbound transactions that add and remove them.
/// Pure: the shell reads the network's ports and DHCP rows, and sends what this returns.
public enum ClusterGuestPlanner {
    /// What the add's `wait` holds unchanged: a port another host added in between (any
    /// address) changes these, the transaction fails untouched, and the shell reads again.
    public static let waitColumns = ["name", "addresses"]

    /// The network's ports as the planner needs them: every port vmnet made on it (guests,
    /// members, containers, the router's) holds an address no new port may take.
    public static func readPorts(_ network: NetworkName) -> OVSDBOperation {
        .select(table: "Logical_Switch_Port", where: OVNOwnership.belongs(to: network.value), columns: ["_uuid", "name", "addresses", "external_ids"])
    }

    /// The network's DHCP rows, which a new port points at (v4 and, with IPv6, v6).
    public static func readOptions(_ network: NetworkName) -> OVSDBOperation {
        .select(table: "DHCP_Options", where: OVNOwnership.belongs(to: network.value), columns: ["_uuid", "cidr"])
    }

    /// The guests and members among the ports read.
    public static func guests(_ ports: [OVSDBRow]) -> [ClusterGuest] {
        ports.compactMap(ClusterGuest.init(portRow:)).sorted { ($0.kind.rawValue, $0.name) < ($1.kind.rawValue, $1.name) }
    }

    /// The port `name` names: a new one, or the one already there when it agrees with `mac`
    /// and `ip` (adding twice changes nothing).
    public static func guest(
        _ kind: ClusterGuest.Kind, name: String, on network: ClusterNetwork, mac wantedMAC: String?, ip wantedIP: String?, ports: [OVSDBRow]
    ) throws(VmnetError) -> (guest: ClusterGuest, isNew: Bool) {
        if kind == .guest { try HostReservation.validateName(name) }
        let portName = kind == .guest ? OVNNames.guestPort(network.name, host: name) : OVNNames.memberPort(network.name, chassis: name)
        let known = guests(ports)
        if let existing = known.first(where: { $0.port == portName }) {
            if let wantedMAC, MACAddress(wantedMAC.lowercased()) != existing.mac {
                throw .conflict("'\(name)' is already on '\(network.name)' with MAC \(existing.mac): 'vmnet host remove \(network.name) \(name)' first to change it")
            }
            if let wantedIP, IPv4Address(wantedIP) != existing.ip {
                throw .conflict("'\(name)' is already on '\(network.name)' with address \(existing.ip): 'vmnet host remove \(network.name) \(name)' first to change it")
            }
            return (existing, false)
        }
        let dnsName = "\(name.lowercased()).\(network.name.value).vmnet"
        if let namesake = known.first(where: { $0.dnsName(in: network.name) == dnsName }) {
            throw .conflict("the name \(dnsName) is already the \(namesake.kind == .guest ? "VM" : "member host") '\(namesake.name)' on '\(network.name)': choose another name")
        }
        let taken = takenAddresses(ports)
        let mac = try chooseMAC(wantedMAC, seed: (kind == .member ? "member:" : "") + "\(network.name)/\(name)", network: network, known: known)
        let ip = try chooseIP(wantedIP, network: network, taken: taken, known: known)
        let ip6 = network.plan6.flatMap { $0.derived(fromHostOffset: ip.value - network.subnet.network.value) }
        return (ClusterGuest(kind: kind, name: name, port: portName, mac: mac, ip: ip, ip6: ip6), true)
    }

    /// Every IPv4 address the ports hold ("MAC IP …" entries; "router", "dynamic" and the
    /// like hold none).
    static func takenAddresses(_ ports: [OVSDBRow]) -> Set<IPv4Address> {
        var taken: Set<IPv4Address> = []
        for entry in ports.flatMap({ $0.strings("addresses") }) {
            for word in entry.split(separator: " ") { if let address = IPv4Address(String(word)) { taken.insert(address) } }
        }
        return taken
    }

    static func chooseMAC(_ wanted: String?, seed: String, network: ClusterNetwork, known: [ClusterGuest]) throws(VmnetError) -> MACAddress {
        if let wanted {
            guard let parsed = MACAddress(wanted.lowercased()) else {
                throw .invalid("MAC '\(wanted)' is not a unicast Ethernet address such as 52:54:00:12:34:56")
            }
            if let owner = known.first(where: { $0.mac == parsed }) {
                throw .conflict("MAC \(parsed) is already '\(owner.name)''s on '\(network.name)'")
            }
            return parsed
        }
        var salt = 0
        var candidate = MACAddress.generated(from: seed)
        while candidate == OVNNames.routerMAC(network.name) || known.contains(where: { $0.mac == candidate }) {
            salt += 1
            candidate = MACAddress.generated(from: "\(seed)#\(salt)")
        }
        return candidate
    }

    static func chooseIP(_ wanted: String?, network: ClusterNetwork, taken: Set<IPv4Address>, known: [ClusterGuest]) throws(VmnetError) -> IPv4Address {
        let plan = network.plan
        if let wanted {
            guard let parsed = IPv4Address(wanted) else { throw .invalid("address '\(wanted)' is not an IPv4 address") }
            guard network.subnet.contains(parsed), parsed != network.subnet.first, parsed != network.subnet.last else {
                throw .invalid("address \(parsed) is not a host address of \(network.subnet) ('\(network.name)'): use one from the static range \(plan.staticHosts)")
            }
            guard parsed != plan.gateway else { throw .invalid("address \(parsed) is the router of '\(network.name)': use one from the static range \(plan.staticHosts)") }
            if taken.contains(parsed) {
                let owner = known.first { $0.ip == parsed }.map { " ('\($0.name)')" } ?? ""
                throw .conflict("address \(parsed) is already taken on '\(network.name)'\(owner): choose another or leave --ip out")
            }
            return parsed
        }
        let range = plan.staticHosts
        guard let free = (0..<range.count).lazy.map({ range.start.advanced(by: $0) }).first(where: { !taken.contains($0) && $0 != plan.gateway }) else {
            throw VmnetError(.exhausted, "no free address left in the static range \(range) of '\(network.name)': remove a host first")
        }
        return free
    }

    /// The add: holds only while the network's ports are as read and its switch exists; then
    /// the port (addresses, port security, the network's DHCP rows), its place on the switch,
    /// and its names in the network's DNS row.
    public static func addTransaction(_ guest: ClusterGuest, on network: NetworkName, ports: [OVSDBRow], dhcpOptions: [OVSDBRow]) -> OVSDBTransaction {
        let switchName = OVNNames.logicalSwitch(network)
        let seen = ports.map { row in row.columns.filter { waitColumns.contains($0.key) } }
        let whoKey = guest.kind == .guest ? ClusterGuest.Key.guest : ClusterGuest.Key.member
        var port: [String: OVSDBDatum] = [
            "name": .string(guest.port), "addresses": .strings([guest.addresses]), "port_security": .strings([guest.addresses]),
            "external_ids": .map(OVNOwnership.marks(network: network.value, [whoKey: guest.name])),
        ]
        let options4 = dhcpOptions.filter { ($0.string("cidr") ?? "").contains(".") }.compactMap(\.uuid)
        let options6 = dhcpOptions.filter { ($0.string("cidr") ?? "").contains(":") }.compactMap(\.uuid)
        if let options4 = options4.first { port["dhcpv4_options"] = .set([.uuid(options4)]) }
        if guest.ip6 != nil, let options6 = options6.first { port["dhcpv6_options"] = .set([.uuid(options6)]) }
        let verb = guest.kind == .guest ? "vmnet host add \(network) \(guest.name)" : "vmnet up \(network) (member \(guest.name))"
        return OVSDBTransaction(OVSDBTransaction.northbound, [
            .wait(table: "Logical_Switch_Port", where: OVNOwnership.belongs(to: network.value), columns: waitColumns, rows: seen),
            .wait(table: "Logical_Switch", where: [.equals("name", .string(switchName))], columns: ["name"], rows: [["name": .string(switchName)]]),
            .comment(verb),
            .insert(table: "Logical_Switch_Port", row: port, uuidName: "guest"),
            .mutate(table: "Logical_Switch", where: [.equals("name", .string(switchName))], mutations: [.insert("ports", .set([.namedUUID("guest")]))]),
            .mutate(table: "DNS", where: OVNOwnership.belongs(to: network.value), mutations: [.insert("records", .map(guest.dnsRecords(in: network)))]),
        ])
    }

    /// The removal: the port leaves its switch (OVSDB then deletes the unreferenced row) and
    /// its names leave the DNS row. `portUUID` is the port's row as read.
    public static func removeTransaction(_ guest: ClusterGuest, portUUID: String, on network: NetworkName) -> OVSDBTransaction {
        let verb = guest.kind == .guest ? "vmnet host remove \(network) \(guest.name)" : "vmnet down \(network) (member \(guest.name))"
        return OVSDBTransaction(OVSDBTransaction.northbound, [
            .comment(verb),
            .mutate(table: "Logical_Switch", where: [.equals("name", .string(OVNNames.logicalSwitch(network)))],
                    mutations: [.delete("ports", .set([.uuid(portUUID)]))]),
            .mutate(table: "DNS", where: OVNOwnership.belongs(to: network.value),
                    mutations: [.delete("records", .strings(guest.dnsRecords(in: network).keys.sorted()))]),
        ])
    }
}
