import ArgumentParser
import VmnetShell

struct NetworkDown: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Take networks down: stop dnsmasq, remove rules and bridge; keep subnet and leases.")

    @OptionGroup var selection: NetworkNames

    func run() throws {
        let records = try Context().controller.down(try selection.selection())
        for record in records { Output.text("down: \(record.name)") }
    }
}
