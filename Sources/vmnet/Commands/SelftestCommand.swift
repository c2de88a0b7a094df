import ArgumentParser
struct SelftestCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "selftest") }
