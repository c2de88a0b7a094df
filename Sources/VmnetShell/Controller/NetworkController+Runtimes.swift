import VmnetCore

/// Runtime definitions (podman, CNI, libvirt) of a network.
extension NetworkController {
    public func install(_ name: NetworkName, kinds: [RuntimeKind]) throws(VmnetError) -> [String] {
        try withLock { (lock) throws(VmnetError) in
            let record = try store.require(name)
            try lock.record(Intent(.install, networks: [name], effects: kinds.map { "install the \($0.rawValue) definition of \(name)" }))
            return try runtimes.install(record, kinds: kinds)
        }
    }

    public func uninstall(_ name: NetworkName, kinds: [RuntimeKind]?) throws(VmnetError) -> [String] {
        try withLock { (lock) throws(VmnetError) in
            let record = try store.require(name)
            try lock.record(Intent(.uninstall, networks: [name], effects: ["remove the runtime definitions of \(name)"]))
            return try runtimes.uninstall(record.name, bridge: record.bridge, kinds: kinds)
        }
    }
}
