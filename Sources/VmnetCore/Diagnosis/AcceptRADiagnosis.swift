/// Doctor's verdict on the host's own IPv6 default route: an interface that learned it from
/// router advertisements but ignores them because IPv6 forwarding is on (accept_ra 1) keeps
/// it only until it expires. Whoever turned forwarding on, the host is broken already.
public enum AcceptRADiagnosis {
    public static let check = "host-accept-ra"

    /// A warning naming such interfaces; else an ok line when `relevant` (some network
    /// forwards IPv6), nil when there is nothing to say.
    public static func finding(_ host: IPv6ForwardingState, relevant: Bool) -> DoctorFinding? {
        let ignoring = host.forwarding ? host.dependsOnAdvertisements : []
        guard ignoring.isEmpty else {
            let named = ignoring.joined(separator: ", ")
            return DoctorFinding(
                network: nil, check: check, status: .warn,
                detail: "IPv6 forwarding is on and \(named) has accept_ra=1: it ignores router advertisements, so its default route from them expires",
                fix: "sysctl -w " + ignoring.map { "net.ipv6.conf.\($0).accept_ra=2" }.joined(separator: " "))
        }
        guard relevant else { return nil }
        return .ok(nil, check, "no interface loses a router-advertised default route to IPv6 forwarding")
    }
}
