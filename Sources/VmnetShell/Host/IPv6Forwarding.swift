import VmnetCore

/// net.ipv6.conf.all.forwarding, which NAT networks with IPv6 need: turned on when needed and
/// never off, as IPv4's (see `IPForwarding`); and the accept_ra values that decide whether
/// turning it on costs the host its own default route (see `AcceptRAGuard`).
public struct IPv6Forwarding: Sendable {
    /// /proc, or a directory laid out like it (tests).
    public let procRoot: String

    public init(procRoot: String = "/proc") { self.procRoot = procRoot }

    /// The switch itself, which behaves as IPv4's.
    private var forwarding: IPForwarding { IPForwarding(file: procRoot + "/sys/net/ipv6/conf/all/forwarding", family: "IPv6") }
    private func acceptRAFile(_ interface: String) -> String { procRoot + "/sys/net/ipv6/conf/\(interface)/accept_ra" }

    public var isOn: Bool { forwarding.isOn }

    /// Forwarding, the interfaces with a router-advertised default route, and their accept_ra.
    public func state() -> IPv6ForwardingState {
        let interfaces = ProcNetRoute.raDefaultRouteInterfaces(FileSystem.readIfPresent(procRoot + "/net/ipv6_route") ?? "")
        var acceptRA: [String: Int] = [:]
        for interface in interfaces {
            let text = FileSystem.readIfPresent(acceptRAFile(interface))?.split(whereSeparator: \.isWhitespace).first
            acceptRA[interface] = text.flatMap { Int($0) }
        }
        return IPv6ForwardingState(forwarding: isOn, raDefaultRoutes: interfaces, acceptRA: acceptRA)
    }

    /// Carries out the decision: accept_ra=2 first, because the kernel drops an accept_ra=1
    /// interface's router-advertised default route the moment forwarding goes on.
    public func apply(_ decision: AcceptRAGuard) throws(VmnetError) {
        for interface in decision.acceptRA2 {
            if let why = Sysctl.write("2", to: acceptRAFile(interface)) {
                throw .failed("setting accept_ra=2 on \(interface): \(why): run vmnet as root, with /proc/sys writable")
            }
        }
        if decision.enablesForwarding { try forwarding.enable() }
    }
}
