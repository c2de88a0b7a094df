import ArgumentParser
import Glibc
import VmnetCore

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that networks work, and say how to fix what does not.",
        discussion: """
            One line per network when every check passes; under a network, each check that warns or \
            fails with what was seen and the fix. Fits 100 columns. Exit status 0 when nothing fails, \
            1 otherwise. Run it as root.
            """)

    @Argument(help: "Networks to check (all when none is named).")
    var names: [String] = []

    @Flag(help: "Print a JSON array of findings (network, check, status, detail, fix).")
    var json = false

    @Flag(name: .shortAndLong, help: "Print every check, also those that pass.")
    var verbose = false

    func run() throws {
        let selection = names.isEmpty ? nil : try names.map { (name) throws(VmnetError) in try NetworkName(name) }
        let context = Context()
        context.notePendingRecovery()
        // A name with no local record is looked up in the cluster; a member's plain doctor
        // adds its OVN checks and every cluster network's.
        var local: [NetworkName]?
        var clustered: [NetworkName]?
        if let selection {
            local = []
            clustered = []
            for name in selection {
                do {
                    _ = try context.controller.record(name)
                    local?.append(name)
                } catch {
                    guard (error as VmnetError).code == .notFound else { throw error }
                    clustered?.append(name)
                }
            }
        }
        var findings = local?.isEmpty == true ? [] : try context.controller.doctor(local)
        if clustered?.isEmpty != true { findings += try context.cluster().doctor(clustered) }
        if json {
            Output.json(DoctorReport.json(findings))
        } else if findings.allSatisfy({ $0.network == nil && ($0.status == .ok && !verbose) }) {
            // Only the host's checks, all passing (a member without networks): nothing to show.
            Output.note("no networks: 'vmnet create NAME' makes one")
        } else {
            Output.text(DoctorReport.text(findings, verbose: verbose))
        }
        let status = DoctorReport.exitStatus(findings)
        if status != 0 { Glibc.exit(status) }
    }
}
