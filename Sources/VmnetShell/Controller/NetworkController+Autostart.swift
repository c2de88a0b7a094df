import VmnetCore

/// `vmnet autostart NAME on|off`: one field of the record, nothing else touched (no dnsmasq
/// restart, no rule); the network stays up or down as it is.
extension NetworkController {
    public enum AutostartOutcome: Sendable { case changed, unchanged }

    public func setAutostart(_ name: NetworkName, on: Bool) throws(VmnetError) -> AutostartOutcome {
        try withLock { (_) throws(VmnetError) in
            var record = try store.require(name)
            guard record.autostart != on else { return .unchanged }
            record.autostart = on
            // One atomic write of one file: nothing for the journal to finish or undo.
            try store.save(record)
            return .changed
        }
    }
}
