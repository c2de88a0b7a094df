import ArgumentParser
import VmnetCore
import VmnetShell

struct ForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Forward host ports to guests of a NAT network.",
        discussion: "Forwards are recorded with the network and active whenever it is up; a forward to a reserved host follows its address.",
        subcommands: [ForwardAdd.self, ForwardRemove.self, ForwardList.self])

    /// vmnet has no daemon: the other gateways of a cluster network take a forward change
    /// into their DNATs only when `vmnet up` runs there.
    static func notePending(_ change: ClusterController.ForwardChange) {
        guard !change.pendingGateways.isEmpty else { return }
        let here = change.appliedHere ? "applied on this gateway; " : ""
        Output.note("\(here)gateway hosts \(change.pendingGateways.joined(separator: ", ")) apply it at their next 'vmnet up' (vmnet has no daemon)")
    }
}
