import VmnetCore

/// Links through one `ip -batch -` process per command, whatever the number of bridges.
public struct IprouteLinkManager: LinkManager {
    public let runner: CommandRunner

    public init(runner: CommandRunner) { self.runner = runner }

    public func apply(_ batch: [String]) throws(VmnetError) {
        guard !batch.isEmpty else { return }
        try runner.check(["ip", "-batch", "-"], input: batch.joined(separator: "\n") + "\n", doing: "configuring bridges")
    }
}
