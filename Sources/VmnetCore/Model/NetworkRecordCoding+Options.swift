import JSON

/// The DHCP options and DNS records in a record file: written only when a network has them,
/// so records without them stay byte for byte as before, and read as none when absent.
extension NetworkRecordCoding {
    static func encodeOptions(_ record: NetworkRecord, into object: inout JSONObject) {
        let options = record.dhcpOptions
        if !options.isEmpty {
            var dhcp = JSONObject()
            if !options.routes.isEmpty { dhcp["routes"] = .array(options.routes.map { .string($0.description) }) }
            if !options.ntp.isEmpty { dhcp["ntp"] = .array(options.ntp.map { .string($0.description) }) }
            if !options.search.isEmpty { dhcp["search"] = .array(options.search.map { .string($0) }) }
            if let file = options.bootFile { dhcp["boot"] = .string(file) }
            if let root = options.tftpRoot { dhcp["tftp_root"] = .string(root) }
            if let server = options.nextServer { dhcp["next_server"] = .string(server.description) }
            if !options.extra.isEmpty { dhcp["options"] = .array(options.extra.map { .string($0.description) }) }
            object["dhcp"] = .object(dhcp)
        }
        if !record.dnsRecords.isEmpty {
            object["dns_records"] = .array(record.dnsRecords.map { .object(["name": .string($0.name), "type": .string($0.type.rawValue), "value": .string($0.value)]) })
        }
    }

    static func decodeOptions(_ object: JSONObject, reader: StateFileReader) throws(VmnetError) -> (DHCPOptions, [DNSRecord]) {
        var options = DHCPOptions()
        if let value = object["dhcp"] {
            let dhcp = try reader.object(value, "dhcp")
            try reader.rejectUnknown(dhcp, known: ["routes", "ntp", "search", "boot", "tftp_root", "next_server", "options"], path: "dhcp.")
            func strings(_ key: String) throws(VmnetError) -> [String] {
                guard let value = dhcp[key] else { return [] }
                guard let list = value.arrayValue, case let texts = list.compactMap(\.stringValue), texts.count == list.count else {
                    throw reader.typeFailure("dhcp.\(key)", "an array of strings", value)
                }
                return texts
            }
            for text in try strings("routes") {
                guard let route = DHCPRoute(text) else { throw reader.failure("dhcp.routes", "\(text.debugDescription) is not CIDR[ via IP]") }
                options.routes.append(route)
            }
            for text in try strings("ntp") {
                guard let server = IPv4Address(text) else { throw reader.failure("dhcp.ntp", "\(text.debugDescription) is not an IPv4 address") }
                options.ntp.append(server)
            }
            for text in try strings("search") {
                guard DNSRecord.isDomain(text) else { throw reader.failure("dhcp.search", "\(text.debugDescription) is not a domain") }
                options.search.append(text)
            }
            if dhcp["boot"] != nil {
                let file = try reader.string(dhcp, "boot", path: "dhcp.")
                guard DHCPOptions.isBootFile(file) else { throw reader.failure("dhcp.boot", "\(file.debugDescription) is not a boot file name") }
                options.bootFile = file
            }
            if dhcp["tftp_root"] != nil {
                let root = try reader.string(dhcp, "tftp_root", path: "dhcp.")
                guard DHCPOptions.isTFTPRoot(root) else { throw reader.failure("dhcp.tftp_root", "\(root.debugDescription) is not an absolute path") }
                options.tftpRoot = root
            }
            if dhcp["next_server"] != nil {
                let text = try reader.string(dhcp, "next_server", path: "dhcp.")
                guard let server = IPv4Address(text) else { throw reader.failure("dhcp.next_server", "\(text.debugDescription) is not an IPv4 address") }
                options.nextServer = server
            }
            for text in try strings("options") {
                do throws(VmnetError) { options.extra.append(try DHCPOption(text)) } catch { throw reader.failure("dhcp.options", error.message) }
            }
        }
        var records: [DNSRecord] = []
        if let value = object["dns_records"] {
            guard let list = value.arrayValue else { throw reader.typeFailure("dns_records", "an array", value) }
            for entry in list {
                let fields = try reader.object(entry, "dns_records")
                try reader.rejectUnknown(fields, known: ["name", "type", "value"], path: "dns_records.")
                let typeText = try reader.string(fields, "type", path: "dns_records.")
                guard let type = DNSRecordType(rawValue: typeText) else { throw reader.failure("dns_records.type", "\(typeText.debugDescription) is not a record type") }
                do throws(VmnetError) {
                    records.append(try DNSRecord(name: try reader.string(fields, "name", path: "dns_records."), type: type,
                                                 value: try reader.string(fields, "value", path: "dns_records.")))
                } catch { throw reader.failure("dns_records", error.message) }
            }
        }
        return (options, records)
    }
}
