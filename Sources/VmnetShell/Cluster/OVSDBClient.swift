import JSON
import VmnetCore

/// Talks to one OVSDB database (OVN northbound or southbound, or the local Open vSwitch one)
/// through `ovsdb-client transact`: the transaction goes as one JSON argument, the reply comes
/// back as JSON. ovsdb-client also speaks ssl: with the key, certificate and CA given.
public struct OVSDBClient: Sendable {
    public let runner: CommandRunner
    public let address: String
    /// What the database is, for messages ("the northbound database").
    public let role: String
    public let ssl: ClusterConfig.SSL?

    /// Long enough for a busy central database, short enough that a dropped connection fails
    /// a command in seconds rather than hanging it.
    public static let timeoutSeconds = 5

    public init(runner: CommandRunner, address: String, role: String, ssl: ClusterConfig.SSL? = nil) {
        self.runner = runner
        self.address = address
        self.role = role
        self.ssl = ssl
    }

    /// Sends the transaction; a database that cannot be reached, a failed operation or a
    /// malformed reply is a one-line error. A lost `wait` race is returned, not thrown, so
    /// that the caller can read again and retry (`reply.lostRace`).
    public func transact(_ transaction: OVSDBTransaction, doing: String) throws(VmnetError) -> OVSDBReply {
        let program = try ExecutableLocator.require("ovsdb-client")
        var arguments = [program, "--timeout=\(OVSDBClient.timeoutSeconds)"]
        if let ssl { arguments += ["--private-key=\(ssl.privateKey)", "--certificate=\(ssl.certificate)", "--ca-cert=\(ssl.caCertificate)"] }
        arguments += ["transact", address, transaction.text]
        let result = try runner.run(arguments)
        guard result.succeeded else {
            throw VmnetError(.failed, "\(doing): cannot reach \(role) at \(address): \(OVSDBClient.reason(result)): check the address and that its ovsdb-server listens there")
        }
        let json: JSONValue
        do { json = try JSONCodec.parse(result.standardOutput, source: "ovsdb-client") } catch {
            throw .failed("\(doing): \(role) at \(address) answered something that is not JSON: \(error)")
        }
        let reply = try OVSDBReply(json: json, operations: transaction.operations)
        if reply.lostRace { return reply }
        if let failure = reply.failure {
            let operation = failure.index.map { " (operation \($0 + 1), \(OVSDBClient.describe(transaction.operations[$0])))" } ?? ""
            let details = failure.result.details.map { ": \($0)" } ?? ""
            throw .failed("\(doing): \(role) at \(address) refused the change\(operation): \(failure.result.error ?? "error")\(details)")
        }
        return reply
    }

    /// Runs `transaction` built by `make` from a fresh read until its `wait` holds: the
    /// optimistic concurrency OVSDB offers in place of a lock (another host may write between
    /// our read and our change; then the wait fails, nothing happened, and we read again).
    public func transactRetrying(doing: String, attempts: Int = 5, _ make: () throws(VmnetError) -> OVSDBTransaction) throws(VmnetError) -> OVSDBReply {
        for _ in 0..<attempts {
            let reply = try transact(try make(), doing: doing)
            if !reply.lostRace { return reply }
        }
        throw .conflict("\(doing): \(role) at \(address) kept changing under this change (\(attempts) attempts): try again")
    }

    /// Reads rows: one `select` per table given.
    public func select(_ selects: [OVSDBOperation], database: String, doing: String) throws(VmnetError) -> [[OVSDBRow]] {
        let reply = try transact(OVSDBTransaction(database, selects), doing: doing)
        return selects.indices.map { reply.rows($0) }
    }

    /// ovsdb-client's own last line, without its log prefix and program name.
    static func reason(_ result: ProcessResult) -> String {
        let line = result.standardError.split(separator: "\n").last.map(String.init) ?? "exit status \(result.status)"
        return line.hasPrefix("ovsdb-client: ") ? String(line.dropFirst("ovsdb-client: ".count)) : line
    }

    static func describe(_ operation: OVSDBOperation) -> String {
        switch operation {
        case .insert(let table, _, _): return "insert into \(table)"
        case .update(let table, _, _): return "update of \(table)"
        case .mutate(let table, _, _): return "mutate of \(table)"
        case .delete(let table, _): return "delete from \(table)"
        case .select(let table, _, _): return "select from \(table)"
        case .wait(let table, _, _, _): return "wait on \(table)"
        case .comment: return "comment"
        }
    }
}
