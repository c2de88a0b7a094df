import Synchronization

/// What a command reports without failing: a step that could not be done but that the
/// network does not depend on (a host resolver registration, a foreign firewall that blocks
/// it). Each warning is one line, "doing what: why: fix", handed to `report` at once (the
/// CLI prints it on standard error, so it is seen even when a later step fails) and kept,
/// so callers and tests can read what was said.
public final class Warnings: Sendable {
    private let collected = Mutex<[String]>([])
    private let report: @Sendable (String) -> Void
    private let reportNote: @Sendable (String) -> Void

    /// `note`: where a note goes (something worth knowing that is not a problem).
    public init(report: @escaping @Sendable (String) -> Void = { _ in }, note: @escaping @Sendable (String) -> Void = { _ in }) {
        self.report = report
        reportNote = note
    }

    public func note(_ line: String) { reportNote(line) }

    public func add(_ line: String) {
        collected.withLock { $0.append(line) }
        report(line)
    }

    public var lines: [String] { collected.withLock { $0 } }
}
