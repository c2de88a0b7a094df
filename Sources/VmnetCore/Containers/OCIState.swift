import JSON

/// What an OCI runtime hands a hook on standard input (runtime-spec "state"): the container's
/// id, its init pid while it exists (not at `poststop`) and its bundle directory.
public struct OCIState: Hashable, Sendable {
    public let id: String
    public let status: String
    public let pid: Int?
    public let bundle: String

    public init(id: String, status: String, pid: Int?, bundle: String) {
        self.id = id
        self.status = status
        self.pid = pid
        self.bundle = bundle
    }

    public static func parse(_ text: String) throws(VmnetError) -> OCIState {
        let value: JSONValue
        do { value = try JSONCodec.parse(text, source: "the OCI state on standard input") } catch {
            throw .invalid("reading the container's OCI state: \(error): vmnet container-hook is run by podman's OCI hook only")
        }
        guard let id = value["id"]?.stringValue, !id.isEmpty, let bundle = value["bundle"]?.stringValue else {
            throw .invalid("reading the container's OCI state: no id or bundle in it: vmnet container-hook is run by podman's OCI hook only")
        }
        let pid = value["pid"]?.intValue.flatMap { $0 > 0 ? $0 : nil }
        return OCIState(id: id, status: value["status"]?.stringValue ?? "", pid: pid, bundle: bundle)
    }

    /// Podman keeps the bundle at `<storage>/overlay-containers/<id>/userdata`; the names of
    /// its containers are in `<storage>/overlay-containers/containers.json` (containers/storage).
    public var storageContainersFile: String {
        var parts = bundle.split(separator: "/", omittingEmptySubsequences: false)
        if parts.last == "userdata" { parts.removeLast() }
        if parts.last.map(String.init) == id { parts.removeLast() }
        return parts.joined(separator: "/") + "/containers.json"
    }

    /// The container's first name in containers/storage's list, nil when it is not there.
    public func name(inStorageList text: String) -> String? {
        guard let list = try? JSONCodec.parse(text, source: "containers.json").arrayValue else { return nil }
        return list.first { $0["id"]?.stringValue == id }?["names"]?.arrayValue?.first?.stringValue
    }
}
