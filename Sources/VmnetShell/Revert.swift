/// All-or-nothing setup: each step registers how to undo itself; unless `success()` is
/// called, the undo steps run in reverse order when the value goes away.
public final class Revert {
    private var steps: [() -> Void] = []
    private var succeeded = false

    public init() {}

    public func add(_ undo: @escaping () -> Void) { steps.append(undo) }

    public func success() { succeeded = true }

    deinit {
        guard !succeeded else { return }
        for undo in steps.reversed() { undo() }
    }
}
