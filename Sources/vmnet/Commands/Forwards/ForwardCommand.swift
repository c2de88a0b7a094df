import ArgumentParser

struct ForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Forward host ports to guests of a NAT network.",
        discussion: "Forwards are recorded with the network and active whenever it is up; a forward to a reserved host follows its address.",
        subcommands: [ForwardAdd.self, ForwardRemove.self, ForwardList.self])
}
