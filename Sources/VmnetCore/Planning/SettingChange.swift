/// One setting that differs: its key, the old and new values as `vmnet set` takes them, and
/// how a running network gets it.
public struct SettingChange: Hashable, Sendable, CustomStringConvertible {
    public var key: String
    public var from: String
    public var to: String
    public var applications: [ChangeApplication]

    public init(key: String, from: String, to: String, applications: [ChangeApplication]) {
        self.key = key
        self.from = from
        self.to = to
        self.applications = applications
    }

    /// "mtu: 1500 -> 9000".
    public var description: String { "\(key): \(from) -> \(to)" }
}
