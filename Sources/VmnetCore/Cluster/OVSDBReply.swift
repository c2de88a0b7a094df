import JSON

/// What ovsdb-server answered to a transaction: one result per operation. A failed transaction
/// has an `error` in the result of the operation that failed (and nothing took effect).
public struct OVSDBReply: Sendable {
    public struct Result: Sendable {
        public var rows: [OVSDBRow]
        public var uuid: String?
        public var count: Int?
        public var error: String?
        public var details: String?
    }

    public var results: [Result]
    public let operations: [OVSDBOperation]

    public init(json: JSONValue, operations: [OVSDBOperation]) throws(VmnetError) {
        guard let items = json.arrayValue else { throw .failed("reading the OVSDB reply: it is not a JSON array") }
        self.operations = operations
        results = items.map { item in
            let rows = (item["rows"]?.arrayValue ?? []).compactMap(OVSDBRow.init(json:))
            let uuid = item["uuid"].flatMap(OVSDBDatum.init(json:))?.text
            return Result(rows: rows, uuid: uuid, count: item["count"]?.intValue, error: item["error"]?.stringValue,
                          details: item["details"]?.stringValue)
        }
    }

    /// The first failed operation: its index (nil for a transaction-level error such as a
    /// constraint violation found at commit) and the result.
    public var failure: (index: Int?, result: Result)? {
        for (index, result) in results.enumerated() where result.error != nil {
            return (index < operations.count ? index : nil, result)
        }
        return nil
    }

    /// True when a `wait` failed: what the planner read changed before its change landed
    /// (another host wrote in between); read again and retry.
    public var lostRace: Bool {
        guard let failure, let index = failure.index, case .wait = operations[index] else { return false }
        return failure.result.error == "timed out"
    }

    /// The rows of the `select` at operation `index`.
    public func rows(_ index: Int) -> [OVSDBRow] { index < results.count ? results[index].rows : [] }

    /// The uuid an insert at operation `index` got.
    public func insertedUUID(_ index: Int) -> String? { index < results.count ? results[index].uuid : nil }
}
