/// What vmnet must change in one iptables backend's `filter` table so the host's own drops
/// (Docker's FORWARD policy, ufw's chains) let vmnet's traffic through, and why.
public struct IptablesCoexistencePlan: Equatable, Sendable {
    /// `iptables-restore --noflush` input; nil when the table already holds what is needed.
    public let restoreInput: String?
    /// Why INPUT would drop vmnet's DHCP and DNS (e.g. "INPUT policy DROP"); nil when it would not.
    public let inputBlocker: String?
    /// Why FORWARD would drop vmnet's traffic; nil when it would not.
    public let forwardBlocker: String?
    /// Where the forwarding accepts go: `DOCKER-USER` or vmnet's own chain.
    public let forwardChain: String
    /// Who set the drops, as far as their chains tell (e.g. ["Docker", "ufw"]).
    public let owners: [String]

    public init(restoreInput: String?, inputBlocker: String?, forwardBlocker: String?, forwardChain: String, owners: [String]) {
        self.restoreInput = restoreInput
        self.inputBlocker = inputBlocker
        self.forwardBlocker = forwardBlocker
        self.forwardChain = forwardChain
        self.owners = owners
    }

    /// True when nothing needs changing.
    public var isInPlace: Bool { restoreInput == nil }
}
