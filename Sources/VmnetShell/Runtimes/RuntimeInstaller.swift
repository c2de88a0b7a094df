import JSON
import VmnetCore

/// Installs a network's configuration where each runtime reads it, and removes exactly what
/// it installed. Files are written atomically in their own directory (a running podman
/// service only notices a changed directory mtime, never a half-written file).
public struct RuntimeInstaller: Sendable {
    public let paths: Paths
    public let runner: CommandRunner
    public let podmanDirectory: String
    public let cniDirectory: String
    public let cniStateDirectory: String
    public let libvirtURI: String?
    public let hook: OCIHookInstaller

    public init(paths: Paths, environment: [String: String], runner: CommandRunner) {
        self.paths = paths
        self.runner = runner
        podmanDirectory = Paths.Directory.podmanNetworks.path(in: environment)
        cniDirectory = Paths.Directory.cni.path(in: environment)
        cniStateDirectory = Paths.Directory.cniState.path(in: environment)
        libvirtURI = environment["VMNET_LIBVIRT_URI"]
        hook = OCIHookInstaller(environment: environment)
    }

    private func stateFile(_ name: NetworkName) -> String { paths.stateDirectory(of: name) + "/runtimes.json" }

    /// What was installed; a damaged `runtimes.json` is an error, never "nothing installed",
    /// or `destroy` would leave the files it names behind.
    public func installed(_ name: NetworkName) throws(VmnetError) -> InstalledRuntimes {
        let file = stateFile(name)
        let fix = "restore the file, or remove the runtime files it names (in \(podmanDirectory), \(cniDirectory), libvirt) and then the file"
        return try StateFile.read(file, fix: fix) { (text) throws(VmnetError) in try InstalledRuntimes(text: text, file: file) } ?? InstalledRuntimes()
    }

    /// Each installed file, checked against what vmnet writes for the network now.
    public func check(_ network: NetworkRecord) throws(VmnetError) -> [RuntimeFileStatus] {
        RuntimeFileStatus.check(try installed(network.name), network: network, read: FileSystem.readIfPresent)
    }

    private func save(_ runtimes: InstalledRuntimes, for name: NetworkName) throws(VmnetError) {
        if runtimes.isEmpty {
            FileSystem.remove(stateFile(name))
        } else {
            try FileSystem.writeAtomically(JSONCodec.serialize(runtimes.json()), to: stateFile(name))
        }
    }

    /// Checks everything first, so a refused request changes nothing.
    public func validate(_ network: NetworkRecord, kinds: [RuntimeKind]) throws(VmnetError) {
        if kinds.contains(.podman), let problem = PodmanNetworkConfig.problem(with: network.name) { throw .invalid(problem) }
        if kinds.contains(.podman) { try refuseForeign(podmanDirectory + "/\(network.name).json", network: network, marker: "\"vmnet.network\"") }
        if kinds.contains(.cni) { try refuseForeign(cniDirectory + "/\(network.name).conflist", network: network, marker: "\"bridge\": \"\(network.bridge)\"") }
    }

    /// A file of that name that vmnet did not write belongs to someone else: never overwrite it.
    private func refuseForeign(_ file: String, network: NetworkRecord, marker: String) throws(VmnetError) {
        guard let text = FileSystem.readIfPresent(file), !text.contains(marker) else { return }
        throw .conflict("\(file) exists and was not written by vmnet for '\(network.name)': remove or rename it first")
    }

    /// Installs for each kind; returns one line per runtime saying what was done and what to run.
    public func install(_ network: NetworkRecord, kinds: [RuntimeKind]) throws(VmnetError) -> [String] {
        try validate(network, kinds: kinds)
        var runtimes = try installed(network.name)
        var messages: [String] = []
        for kind in kinds {
            switch kind {
            case .podman:
                let file = podmanDirectory + "/\(network.name).json"
                runtimes.podmanFile = file
                try writeRecorded(PodmanNetworkConfig.render(network), to: file, runtimes: runtimes, for: network.name)
                messages.append("podman: wrote \(file); use it with 'podman run --network \(network.name) …'")
            case .cni:
                let file = cniDirectory + "/\(network.name).conflist"
                runtimes.cniFile = file
                try writeRecorded(CNIConflist.render(network), to: file, runtimes: runtimes, for: network.name)
                messages.append("cni: wrote \(file); podman's CNI backend and nerdctl use it as --network \(network.name)")
            case .libvirt:
                let xml = paths.stateDirectory(of: network.name) + "/libvirt-network.xml"
                try FileSystem.writeAtomically(LibvirtXML.network(network), to: xml)
                // Recorded as not defined until libvirt says it defined it: a refused define
                // (a foreign network of that name) must never be undefined by vmnet later.
                runtimes.libvirt = InstalledRuntimes.Libvirt(uri: libvirtURI, xmlFile: xml, defined: false)
                try save(runtimes, for: network.name)
                if libvirtAvailable {
                    let uuid = try defineInLibvirt(network, xml: xml)
                    runtimes.libvirt = InstalledRuntimes.Libvirt(uri: libvirtURI, xmlFile: xml, defined: true, uuid: uuid, bridge: network.bridge)
                    try save(runtimes, for: network.name)
                    messages.append("libvirt: defined, autostarted and started network '\(network.name)'; use it with 'virt-install --network network=\(network.name) …'")
                } else {
                    messages.append("libvirt: not running here; wrote \(xml): define it later with 'virsh net-define \(xml) && virsh net-autostart \(network.name) && virsh net-start \(network.name)'")
                }
            }
        }
        if kinds.contains(.podman) || kinds.contains(.cni), let line = try hook.install() { messages.append(line) }
        return messages
    }

    /// Records the file first, so that an interrupted install is still undone by `uninstall`.
    private func writeRecorded(_ text: String, to file: String, runtimes: InstalledRuntimes, for name: NetworkName) throws(VmnetError) {
        try save(runtimes, for: name)
        try FileSystem.makeDirectories(FileSystem.parent(of: file))
        try FileSystem.writeAtomically(text, to: file)
    }

    /// Removes what was installed for `kinds` (all when nil); returns one line per runtime
    /// saying what was really done. `bridge` identifies vmnet's libvirt network for records
    /// written before the UUID was kept.
    @discardableResult
    public func uninstall(_ name: NetworkName, bridge: String?, kinds: [RuntimeKind]? = nil) throws(VmnetError) -> [String] {
        var runtimes = try installed(name)
        var messages: [String] = []
        func removeFile(_ kind: RuntimeKind, _ file: String) -> String {
            let existed = FileSystem.exists(file)
            FileSystem.remove(file)
            return existed ? "\(kind.rawValue): removed \(file)" : "\(kind.rawValue): \(file) was already missing"
        }
        for kind in kinds ?? RuntimeKind.allCases {
            switch kind {
            case .podman:
                guard let file = runtimes.podmanFile else { continue }
                messages.append(removeFile(.podman, file))
                runtimes.podmanFile = nil
            case .cni:
                guard let file = runtimes.cniFile else { continue }
                messages.append(removeFile(.cni, file))
                // host-local IPAM keeps its allocations per network name.
                FileSystem.removeTree(cniStateDirectory + "/\(name)")
                runtimes.cniFile = nil
            case .libvirt:
                guard let libvirt = runtimes.libvirt else { continue }
                if libvirt.defined {
                    messages.append(try undefineInLibvirt(name, libvirt, bridge: libvirt.bridge ?? bridge))
                } else {
                    messages.append("libvirt: network '\(name)' was never defined by vmnet; left libvirt alone")
                }
                FileSystem.remove(libvirt.xmlFile)
                runtimes.libvirt = nil
            }
        }
        // Once, at the end: removing everything (destroy) then deletes the file and writes
        // nothing, which a full disk allows.
        try save(runtimes, for: name)
        if let line = hook.uninstall(stillNeeded: podmanStillInstalled()) { messages.append(line) }
        return messages
    }

    /// Whether any network still has a podman or CNI file installed (the hook serves them all).
    private func podmanStillInstalled() -> Bool {
        FileSystem.list(paths.networksDirectory).contains { entry in
            guard let name = try? NetworkName(entry) else { return false }
            // A record it cannot read may name podman files: keep the hook.
            guard let runtimes = try? installed(name) else { return true }
            return runtimes.podmanFile != nil || runtimes.cniFile != nil
        }
    }

    /// Destroys and undefines the libvirt network only when it is the one vmnet defined: same
    /// UUID (when recorded) and same bridge.
    private func undefineInLibvirt(_ name: NetworkName, _ libvirt: InstalledRuntimes.Libvirt, bridge: String?) throws(VmnetError) -> String {
        let dump = try runner.run(virsh(libvirt.uri, "net-dumpxml \(name)"))
        guard dump.succeeded else { return "libvirt: network '\(name)' was already gone" }
        let xml = dump.standardOutput
        let sameUUID = libvirt.uuid.map { xml.contains("<uuid>\($0)</uuid>") } ?? true
        let sameBridge = bridge.map { xml.contains("name='\($0)'") } ?? false
        guard sameUUID && sameBridge else {
            return "libvirt: left network '\(name)' alone: it is not the one vmnet defined (its UUID or bridge differ)"
        }
        _ = try runner.run(virsh(libvirt.uri, "net-destroy \(name)"))
        try runner.check(virsh(libvirt.uri, "net-undefine \(name)"), doing: "undefining network '\(name)' in libvirt")
        return "libvirt: destroyed and undefined network '\(name)'"
    }

    /// libvirt counts as present when virsh is installed and a daemon (or a test URI) answers.
    public var libvirtAvailable: Bool {
        guard ExecutableLocator.find("virsh") != nil else { return false }
        if libvirtURI != nil { return true }
        return ["/run/libvirt/libvirt-sock", "/run/libvirt/virtnetworkd-sock", "/var/run/libvirt/libvirt-sock"].contains(where: FileSystem.exists)
    }

    /// Defines (or redefines vmnet's own) network and returns the UUID libvirt gave it.
    private func defineInLibvirt(_ network: NetworkRecord, xml: String) throws(VmnetError) -> String? {
        let existing = try runner.run(virsh(libvirtURI, "net-dumpxml \(network.name)"))
        if existing.succeeded {
            guard existing.standardOutput.contains("name='\(network.bridge)'") else {
                throw .conflict("libvirt already has a network named '\(network.name)' that is not vmnet's: rename one of them")
            }
            // Ours already: redefine in place, and start it unless it runs.
            let defined = try runner.check(virsh(libvirtURI, "net-define '\(xml)'; net-autostart \(network.name); net-uuid \(network.name)"),
                                           doing: "redefining network '\(network.name)' in libvirt")
            let start = try runner.run(virsh(libvirtURI, "net-start \(network.name)"))
            if !start.succeeded && !start.standardError.contains("already active") {
                throw .failed("starting network '\(network.name)' in libvirt: \(start.failureSummary)")
            }
            return RuntimeInstaller.uuid(in: defined.standardOutput)
        }
        // One virsh process for all three: the test:///default driver forgets everything when
        // its process exits, and a real daemon does not mind.
        let defined = try runner.check(virsh(libvirtURI, "net-define '\(xml)'; net-autostart \(network.name); net-start \(network.name); net-uuid \(network.name)"),
                                       doing: "defining network '\(network.name)' in libvirt")
        return RuntimeInstaller.uuid(in: defined.standardOutput)
    }

    private static func uuid(in output: String) -> String? {
        output.split(whereSeparator: \.isWhitespace).map(String.init).last { $0.count == 36 && $0.filter { $0 == "-" }.count == 4 }
    }

    private func virsh(_ uri: String?, _ commands: String) -> [String] {
        ["virsh", "-q"] + (uri.map { ["-c", $0] } ?? []) + [commands]
    }
}
