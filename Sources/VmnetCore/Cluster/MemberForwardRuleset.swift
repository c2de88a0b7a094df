/// The nft rules that keep a member host from routing between cluster networks: every
/// network it is attached to reaches it on a `vmh-*` port, and with forwarding on (a gateway,
/// a local NAT network) the kernel would otherwise route one project's traffic into another.
/// Its own chain in table `inet vmnet-cluster`, which the gateway part shares.
public enum MemberForwardRuleset {
    public static let table = "vmnet-cluster"
    public static let chain = "member-forward"

    /// Idempotent: creates table and chain when absent and rewrites the chain's rules.
    public static var install: String {
        let pattern = "\"\(OVNNames.memberInterfacePrefix)*\""
        return """
            add table inet \(table)
            add chain inet \(table) \(chain) { type filter hook forward priority 0; policy accept; }
            flush chain inet \(table) \(chain)
            add rule inet \(table) \(chain) iifname \(pattern) drop
            add rule inet \(table) \(chain) oifname \(pattern) drop

            """
    }

    /// Idempotent: removes the chain (absent or not); the table stays for the gateway part's
    /// chains, and the shell deletes it when it holds nothing else.
    public static var remove: String {
        """
        add table inet \(table)
        add chain inet \(table) \(chain)
        delete chain inet \(table) \(chain)

        """
    }

    /// Whether `nft list table inet vmnet-cluster` shows no chain left.
    public static func isEmpty(listing: String) -> Bool {
        !listing.split(whereSeparator: \.isNewline).contains { $0.trimmingPrefixSpaces.hasPrefix("chain ") }
    }
}

private extension Substring {
    var trimmingPrefixSpaces: Substring { drop { $0 == " " || $0 == "\t" } }
}
