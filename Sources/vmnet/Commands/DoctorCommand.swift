import ArgumentParser
import Glibc
import VmnetCore

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that networks work, and say how to fix what does not.",
        discussion: """
            One line per check and network: ok, warn or fail, what was seen and the fix. \
            Exit status 0 when nothing fails, 1 otherwise. Run it as root.
            """)

    @Argument(help: "Networks to check (all when none is named).")
    var names: [String] = []

    @Flag(help: "Print a JSON array of findings (network, check, status, detail, fix).")
    var json = false

    func run() throws {
        let selection = names.isEmpty ? nil : try names.map { (name) throws(VmnetError) in try NetworkName(name) }
        let findings = try Context().controller.doctor(selection)
        if json {
            Output.json(DoctorReport.json(findings))
        } else if findings.isEmpty {
            Output.note("no networks: 'vmnet create NAME' makes one")
        } else {
            Output.text(DoctorReport.table(findings))
        }
        let status = DoctorReport.exitStatus(findings)
        if status != 0 { Glibc.exit(status) }
    }
}
