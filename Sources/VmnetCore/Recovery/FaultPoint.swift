/// Places between two effects of a changing command where the fault-injection tests kill
/// vmnet (a test hook: with `VMNET_FAULT=NAME` in its environment vmnet raises SIGKILL on
/// reaching NAME; nothing else reads it). The end-to-end suite runs every one of them.
public enum FaultPoint: String, CaseIterable, Sendable {
    case journalWritten = "journal.written"
    case createRecorded = "create.recorded"
    case upRecorded = "up.recorded"
    case upLinked = "up.linked"
    case upConfigured = "up.configured"
    case upLaunched = "up.launched"
    case upFirewalled = "up.firewalled"
    case downMarked = "down.marked"
    case downStopped = "down.stopped"
    case downFirewalled = "down.firewalled"
    case destroyUninstalled = "destroy.uninstalled"
    case destroyDown = "destroy.down"
    case destroyDeleted = "destroy.deleted"
    case downUnlinked = "down.unlinked"
    case hostSaved = "host.saved"
    case hostRemoved = "host.removed"
    /// Inside an atomic write (`write.` and the file's name): the temporary file is written,
    /// not yet renamed over the file.
    case recordWriting = "write.network.json"
    case configWriting = "write.dnsmasq.conf"
    case hostsWriting = "write.hosts.json"

    /// The command that reaches the point (first argument list) in the tests.
    public var command: Intent.Command {
        switch self {
        case .journalWritten, .recordWriting, .createRecorded: return .create
        case .upRecorded, .upLinked, .upConfigured, .upLaunched, .upFirewalled, .configWriting: return .up
        case .downMarked, .downStopped, .downFirewalled, .downUnlinked: return .down
        case .destroyUninstalled, .destroyDown, .destroyDeleted: return .destroy
        case .hostsWriting, .hostSaved: return .hostAdd
        case .hostRemoved: return .hostRemove
        }
    }
}
