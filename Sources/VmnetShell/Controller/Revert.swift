import VmnetCore

/// All-or-nothing setup, Incus style: each effect registers how to undo itself — before the
/// effect when it may half-succeed — and the caller runs them explicitly: `success()` forgets
/// them, `fail(error)` runs them newest first and names each undo that failed in the error.
/// Nothing runs from deinit: an undo that is never run is a bug the caller can see.
public final class Revert {
    private var steps: [(what: String, undo: () throws(VmnetError) -> Void)] = []

    public init() {}

    /// `what` names the undo in the error when it fails ("deleting vmn-a").
    public func add(_ what: String, _ undo: @escaping () throws(VmnetError) -> Void) { steps.append((what, undo)) }

    public func success() { steps = [] }

    /// Undoes everything registered and returns `error`, with "; undoing: …" naming each
    /// undo that failed.
    public func fail(_ error: VmnetError) -> VmnetError {
        var failed: [String] = []
        for step in steps.reversed() {
            do { try step.undo() } catch { failed.append("\(step.what): \(error.message)") }
        }
        steps = []
        guard !failed.isEmpty else { return error }
        return VmnetError(error.code, error.message + "; undoing: " + failed.joined(separator: "; "))
    }

    /// Runs `body`; when it throws, runs the undo steps it registered and rethrows.
    public static func run<T>(_ body: (Revert) throws(VmnetError) -> T) throws(VmnetError) -> T {
        let revert = Revert()
        do {
            let value = try body(revert)
            revert.success()
            return value
        } catch {
            throw revert.fail(error)
        }
    }
}
