/// One verdict of `vmnet doctor`: a named check on a network (or on the host, when
/// `network` is nil), whether it passed, what was seen, and the fix when one is known.
/// Every part of vmnet that can tell why a network does not work reports in this form.
public struct DoctorFinding: Equatable, Sendable {
    public enum Status: String, Sendable, Comparable {
        case ok, warn, fail

        private var rank: Int { self == .ok ? 0 : self == .warn ? 1 : 2 }
        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    public let network: String?
    public let check: String
    public let status: Status
    public let detail: String
    public let fix: String?

    public init(network: String?, check: String, status: Status, detail: String, fix: String? = nil) {
        self.network = network
        self.check = check
        self.status = status
        self.detail = detail
        self.fix = fix
    }

    public static func ok(_ network: String?, _ check: String, _ detail: String) -> DoctorFinding {
        DoctorFinding(network: network, check: check, status: .ok, detail: detail)
    }
}
