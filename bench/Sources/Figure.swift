import JSON

/// One line of the benchmark's result: vmnet's figure, the baseline's where there is one,
/// and the target it is held to.
struct Figure {
    let name: String
    let vmnet: Double
    let baseline: Double?
    let unit: String
    let target: String
    let passed: Bool

    var json: JSONValue {
        .object([
            "name": .string(name), "vmnet": .number(rounded(vmnet)), "baseline": baseline.map { .number(rounded($0)) } ?? .null,
            "unit": .string(unit), "target": .string(target), "passed": .bool(passed),
        ])
    }

    private func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    static func format(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }
}
