import JSON
@testable import VmnetShell
import VmnetCore

/// OVSDB servers on a fake host: answers each `ovsdb-client transact ADDRESS JSON` from rows
/// set per address and table, records every operation sent ("ADDRESS op table"), and fails
/// for an address that is unreachable as ovsdb-client does.
final class FakeOVSDB: CommandRunner, @unchecked Sendable {
    /// address → table → the rows a select returns (JSON array text).
    var rows: [String: [String: String]] = [:]
    var unreachable: Set<String> = []
    private(set) var sent: [String] = []

    func run(_ arguments: [String], input: String?) throws(VmnetError) -> ProcessResult {
        guard let index = arguments.firstIndex(of: "transact"), index + 2 < arguments.count,
              let operations = try? JSONCodec.parse(arguments[index + 2], source: "transaction").arrayValue else {
            return ProcessResult(arguments: arguments, status: 1, standardOutput: "", standardError: "not on this fake host")
        }
        let address = arguments[index + 1]
        if unreachable.contains(address) {
            return ProcessResult(arguments: arguments, status: 1, standardOutput: "",
                                 standardError: "ovsdb-client: failed to connect to \"\(address)\" (Connection refused)\n")
        }
        var results: [String] = []
        for operation in operations.dropFirst() {
            let name = operation["op"]?.stringValue ?? "", table = operation["table"]?.stringValue ?? ""
            sent.append("\(address) \(name) \(table)")
            switch name {
            case "select": results.append(#"{"rows":\#(rows[address]?[table] ?? "[]")}"#)
            case "mutate", "delete", "update": results.append(#"{"count":1}"#)
            default: results.append("{}")
            }
        }
        return ProcessResult(arguments: arguments, status: 0, standardOutput: "[" + results.joined(separator: ",") + "]", standardError: "")
    }
}
