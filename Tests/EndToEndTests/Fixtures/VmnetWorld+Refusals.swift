import Testing

extension VmnetWorld {
    /// Runs each command expecting it to fail with `status` and one stderr line holding `phrase`.
    func expectRefused(_ cases: [([String], Int32, String)], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (arguments, status, phrase) in cases {
            let result = try vmnet(arguments)
            let what = "vmnet \(arguments.joined(separator: " ")): \(result.standardError)"
            #expect(result.status == status, "\(what)", sourceLocation: sourceLocation)
            #expect(result.standardError.contains(phrase), "\(what)", sourceLocation: sourceLocation)
            #expect(result.standardError.split(separator: "\n").count == 1, "\(what)", sourceLocation: sourceLocation)
        }
    }
}
