import Glibc
import VmnetCore

/// Finds programs on PATH and the system directories (sudo and cron often drop /usr/sbin),
/// and names the Debian package that provides a missing one.
public enum ExecutableLocator {
    static let packages = [
        "dnsmasq": "dnsmasq-base", "nft": "nftables", "ip": "iproute2", "iptables": "iptables",
        "iptables-restore": "iptables", "busybox": "busybox", "podman": "podman", "virsh": "libvirt-clients",
        "nsenter": "util-linux", "unshare": "util-linux", "resolvectl": "systemd-resolved",
        "ovsdb-client": "openvswitch-common", "ethtool": "ethtool",
    ]

    public static func find(_ program: String) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + program
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    public static func require(_ program: String) throws(VmnetError) -> String {
        guard let path = find(program) else { throw missing(program) }
        return path
    }

    public static func missing(_ program: String) -> VmnetError {
        let package = packages[program] ?? program
        return VmnetError(.missingDependency, "\(program) not found: install \(package) (apt-get install \(package))")
    }
}
