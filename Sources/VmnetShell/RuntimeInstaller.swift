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

    public init(paths: Paths, environment: [String: String], runner: CommandRunner) {
        self.paths = paths
        self.runner = runner
        podmanDirectory = environment["VMNET_PODMAN_DIR"] ?? "/etc/containers/networks"
        cniDirectory = environment["VMNET_CNI_DIR"] ?? "/etc/cni/net.d"
        cniStateDirectory = ContainerAddresses(environment: environment).cniStateDirectory
        libvirtURI = environment["VMNET_LIBVIRT_URI"]
    }

    private func stateFile(_ name: NetworkName) -> String { paths.stateDirectory(of: name) + "/runtimes.json" }

    public func installed(_ name: NetworkName) -> InstalledRuntimes {
        guard let text = FileSystem.readIfPresent(stateFile(name)), let json = try? JSONCodec.parse(text, source: stateFile(name)) else {
            return InstalledRuntimes()
        }
        return InstalledRuntimes(json: json)
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
        var runtimes = installed(network.name)
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
                let available = libvirtAvailable
                runtimes.libvirt = InstalledRuntimes.Libvirt(uri: libvirtURI, xmlFile: xml, defined: available)
                try save(runtimes, for: network.name)
                if available {
                    try defineInLibvirt(network, xml: xml)
                    messages.append("libvirt: defined, autostarted and started network '\(network.name)'; use it with 'virt-install --network network=\(network.name) …'")
                } else {
                    messages.append("libvirt: not running here; wrote \(xml): define it later with 'virsh net-define \(xml) && virsh net-autostart \(network.name) && virsh net-start \(network.name)'")
                }
            }
        }
        return messages
    }

    /// Records the file first, so that an interrupted install is still undone by `uninstall`.
    private func writeRecorded(_ text: String, to file: String, runtimes: InstalledRuntimes, for name: NetworkName) throws(VmnetError) {
        try save(runtimes, for: name)
        try FileSystem.makeDirectories(FileSystem.parent(of: file))
        try FileSystem.writeAtomically(text, to: file)
    }

    /// Removes what was installed for `kinds` (all when nil); returns what was removed.
    @discardableResult
    public func uninstall(_ network: NetworkRecord, kinds: [RuntimeKind]? = nil) throws(VmnetError) -> [String] {
        var runtimes = installed(network.name)
        var messages: [String] = []
        for kind in kinds ?? RuntimeKind.allCases {
            switch kind {
            case .podman:
                guard let file = runtimes.podmanFile else { continue }
                FileSystem.remove(file)
                runtimes.podmanFile = nil
                messages.append("podman: removed \(file)")
            case .cni:
                guard let file = runtimes.cniFile else { continue }
                FileSystem.remove(file)
                // host-local IPAM keeps its allocations per network name.
                FileSystem.removeTree(cniStateDirectory + "/\(network.name)")
                runtimes.cniFile = nil
                messages.append("cni: removed \(file)")
            case .libvirt:
                guard let libvirt = runtimes.libvirt else { continue }
                if libvirt.defined {
                    _ = try? runner.run(virsh(libvirt.uri, "net-destroy \(network.name)"))
                    _ = try? runner.run(virsh(libvirt.uri, "net-undefine \(network.name)"))
                }
                FileSystem.remove(libvirt.xmlFile)
                runtimes.libvirt = nil
                messages.append("libvirt: removed network '\(network.name)'")
            }
            try save(runtimes, for: network.name)
        }
        return messages
    }

    /// libvirt counts as present when virsh is installed and a daemon (or a test URI) answers.
    public var libvirtAvailable: Bool {
        guard ExecutableLocator.find("virsh") != nil else { return false }
        if libvirtURI != nil { return true }
        return ["/run/libvirt/libvirt-sock", "/run/libvirt/virtnetworkd-sock", "/var/run/libvirt/libvirt-sock"].contains(where: FileSystem.exists)
    }

    private func defineInLibvirt(_ network: NetworkRecord, xml: String) throws(VmnetError) {
        let existing = try runner.run(virsh(libvirtURI, "net-dumpxml \(network.name)"))
        if existing.succeeded {
            guard existing.standardOutput.contains("name='\(network.bridge)'") else {
                throw .conflict("libvirt already has a network named '\(network.name)' that is not vmnet's: rename one of them")
            }
            // Ours already: redefine in place, and start it unless it runs.
            try runner.check(virsh(libvirtURI, "net-define '\(xml)'; net-autostart \(network.name)"), doing: "redefining network '\(network.name)' in libvirt")
            let start = try runner.run(virsh(libvirtURI, "net-start \(network.name)"))
            if !start.succeeded && !start.standardError.contains("already active") {
                throw .failed("starting network '\(network.name)' in libvirt: \(start.failureSummary)")
            }
            return
        }
        // One virsh process for all three: the test:///default driver forgets everything when
        // its process exits, and a real daemon does not mind.
        try runner.check(virsh(libvirtURI, "net-define '\(xml)'; net-autostart \(network.name); net-start \(network.name)"),
                         doing: "defining network '\(network.name)' in libvirt")
    }

    private func virsh(_ uri: String?, _ commands: String) -> [String] {
        ["virsh", "-q"] + (uri.map { ["-c", $0] } ?? []) + [commands]
    }
}
