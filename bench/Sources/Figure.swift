import JSON

/// One line of the benchmark's result: vmnet's figure, the baseline's and libvirt's where
/// there are, and the target it is held to.
struct Figure {
    let name: String
    let vmnet: Double
    let baseline: Double?
    let unit: String
    let target: String
    let passed: Bool
    /// libvirt's NAT network on the same measure (LibvirtScenarios), where it has one.
    var libvirt: Double? = nil
    // IPv6 ON: vmnet with `ipv6: "ula"` (issue 10, items 1-6) goes here once vmnet has IPv6;
    // until then it stays nil and the column prints "-".
    var vmnetIPv6: Double? = nil

    var json: JSONValue {
        .object([
            "name": .string(name), "vmnet": .number(rounded(vmnet)), "baseline": baseline.map { .number(rounded($0)) } ?? .null,
            "unit": .string(unit), "target": .string(target), "passed": .bool(passed),
            "libvirt": libvirt.map { .number(rounded($0)) } ?? .null,
            "vmnetIPv6": vmnetIPv6.map { .number(rounded($0)) } ?? .null,
        ])
    }

    /// How many times longer `other` took than vmnet, as the table prints it.
    func ratio(_ other: Double?) -> String {
        guard let other, vmnet > 0 else { return "-" }
        return String(((other / vmnet) * 10).rounded() / 10) + "x"
    }

    private func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    static func format(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }
}
