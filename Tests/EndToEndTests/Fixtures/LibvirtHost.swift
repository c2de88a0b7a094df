import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// A real libvirtd (Debian's 9.0) in a host namespace, started once per test process on first
/// use: overlays over /etc and /var and a tmpfs over /run keep its configuration and state out
/// of the machine's; virsh reaches it over a socket in the sandbox.
final class LibvirtHost: @unchecked Sendable {
    let shared: SharedHost

    private static let instance = Result { try started(on: SharedHost("lv")) }

    static func get() throws -> LibvirtHost { try instance.get() }

    /// A libvirtd of its own in `shared`'s host namespace, answering; `shared` stops it.
    static func started(on shared: SharedHost) throws -> LibvirtHost {
        let made = try LibvirtHost(shared)
        try made.start()
        return made
    }

    init(_ shared: SharedHost) throws {
        try #require(ExecutableLocator.find("libvirtd") != nil && ExecutableLocator.find("virsh") != nil,
                     "libvirtd or virsh is missing: run scripts/install-deps --test")
        self.shared = shared
    }

    var directory: String { shared.sandbox.directory + "/libvirt" }
    var uri: String { "qemu:///system?socket=\(directory)/sock/libvirt-sock" }

    private func start() throws {
        let dir = directory
        let script = """
            set -e
            mkdir -p \(dir)/etc-up \(dir)/etc-work \(dir)/var-up \(dir)/var-work \(dir)/sock \(dir)/log
            mount -t overlay overlay -o lowerdir=/etc,upperdir=\(dir)/etc-up,workdir=\(dir)/etc-work /etc
            mount -t overlay overlay -o lowerdir=/var,upperdir=\(dir)/var-up,workdir=\(dir)/var-work /var
            mount -t tmpfs tmpfs /run
            # The dnsmasq of libvirt's own networks forwards to this host's resolver: the fake upstream.
            rm -f /etc/resolv.conf && echo 'nameserver \(Sandbox.uplinkAddress)' > /etc/resolv.conf
            mkdir -p /etc/libvirt/qemu/networks /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /run/libvirt
            printf '%s\\n' 'unix_sock_dir = "\(dir)/sock"' 'auth_unix_rw = "none"' 'auth_unix_ro = "none"' \\
                'log_outputs = "3:file:\(dir)/log/libvirtd.log"' > \(dir)/libvirtd.conf
            exec libvirtd --config \(dir)/libvirtd.conf
            """
        _ = try shared.startDaemon("libvirtd", script: script)
        // The first answer takes ~8 s on this machine.
        let answered = try shared.wait(60) { try virsh("net-list --all").succeeded }
        try #require(answered, "libvirtd did not answer: \(shared.log("libvirtd"))")
    }

    /// One virsh process running `commands` (chained with `;`).
    @discardableResult
    func virsh(_ commands: String) throws -> ProcessResult {
        try shared.sandbox.runner.run(["virsh", "-q", "-c", uri, commands])
    }
}
