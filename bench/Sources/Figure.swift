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
    /// The same measure with the default dual-stack networks (`vmnet` is `--no-ipv6`).
    var vmnetIPv6: Double? = nil
    /// The kernel's and dnsmasq's own cost of the same work (KernelFloor), where there is one.
    var floor: Double? = nil

    var json: JSONValue {
        .object([
            "name": .string(name), "vmnet": .number(rounded(vmnet)), "baseline": baseline.map { .number(rounded($0)) } ?? .null,
            "unit": .string(unit), "target": .string(target), "passed": .bool(passed),
            "libvirt": libvirt.map { .number(rounded($0)) } ?? .null,
            "vmnetIPv6": vmnetIPv6.map { .number(rounded($0)) } ?? .null,
            "floor": floor.map { .number(rounded($0)) } ?? .null,
        ])
    }

    /// How many times longer `other` took than vmnet, as the table prints it.
    func ratio(_ other: Double?) -> String {
        guard let other, vmnet > 0 else { return "-" }
        return String(((other / vmnet) * 10).rounded() / 10) + "x"
    }

    /// How many times the floor vmnet took.
    var floorRatio: String {
        guard let floor, floor > 0 else { return "-" }
        return String(((vmnet / floor) * 100).rounded() / 100) + "x"
    }

    private func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    static func format(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 100 ? String(Int(value.rounded())) : String((value * 10).rounded() / 10)
    }

    /// Puts the dual-stack run's figures beside the IPv4-only ones and adds the IPv6 targets:
    /// `up` of 1 and 50 networks within 1.25x of IPv4-only, the first lease still < 300 ms.
    static func mergingIPv6(_ ipv6: [Figure], into figures: [Figure]) -> [Figure] {
        var merged = figures
        for index in merged.indices {
            guard let twin = ipv6.first(where: { $0.name == merged[index].name }) else { continue }
            merged[index].vmnetIPv6 = twin.vmnet
        }
        for name in ["1 network up", "50 networks up (--all)"] {
            guard let figure = merged.first(where: { $0.name == name }), let dual = figure.vmnetIPv6 else { continue }
            let ratio = dual / figure.vmnet
            merged.append(Figure(name: "IPv6 on / off: \(name)", vmnet: ratio, baseline: nil, unit: "x", target: "<= 1.25x", passed: ratio <= 1.25))
        }
        if let first = merged.first(where: { $0.name == "50 networks: first network up" })?.vmnetIPv6,
            let last = merged.first(where: { $0.name == "50 networks: last network up" })?.vmnetIPv6 {
            merged.append(Figure(name: "IPv6 on: 50 networks, last / first network up", vmnet: last / first, baseline: nil, unit: "x",
                                 target: "<= 1.5x", passed: last <= first * 1.5))
        }
        if let lease = merged.firstIndex(where: { $0.name == "vmnet up to first DHCP lease" }), let dual = merged[lease].vmnetIPv6 {
            merged.append(Figure(name: "IPv6 on: vmnet up to first DHCP lease", vmnet: dual, baseline: nil, unit: "ms", target: "< 300 ms", passed: dual < 300))
        }
        return merged
    }
}

extension Figure {
    /// Per-network cost of `up --all` and `down --all` at the most networks against the
    /// fewest: linear growth keeps it at or below 1 (fixed costs weigh less with more networks).
    static func growth(_ figures: [Figure], counts: [Int]) -> [Figure] {
        guard let fewest = counts.min(), let most = counts.max(), most > fewest else { return [] }
        return ["up", "down"].compactMap { verb in
            guard let small = figures.first(where: { $0.name == "\(fewest) networks \(verb) (--all)" }),
                let large = figures.first(where: { $0.name == "\(most) networks \(verb) (--all)" }) else { return nil }
            let ratio = (large.vmnet / Double(most)) / (small.vmnet / Double(fewest))
            return Figure(name: "\(verb) --all per network, \(most) / \(fewest) networks", vmnet: ratio, baseline: nil, unit: "x",
                          target: "<= 1.2x (linear)", passed: ratio <= 1.2)
        }
    }
}
