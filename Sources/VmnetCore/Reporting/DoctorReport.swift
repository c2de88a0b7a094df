import JSON

/// How `vmnet doctor` prints its findings: a summary per network for people, a JSON array for programs.
public enum DoctorReport {
    /// The width people's output fits in, whatever a detail holds.
    public static let width = 100
    /// The heading of the findings about the host as a whole: no network name has brackets,
    /// so a network called "host" is not taken for it.
    static let hostHeading = "(host)"

    /// One line per network (`web  ok  17 checks`); under it, each check that did not pass
    /// (every check when `verbose`) with its detail wrapped and its fix on a line of its own.
    /// Findings about the host as a whole are grouped under "(host)", shown when one does not pass.
    public static func text(_ findings: [DoctorFinding], verbose: Bool = false) -> String {
        var groups: [(network: String?, findings: [DoctorFinding])] = []
        var indexOfNetwork: [String?: Int] = [:]
        for finding in findings {
            if let index = indexOfNetwork[finding.network] {
                groups[index].findings.append(finding)
            } else {
                indexOfNetwork[finding.network] = groups.count
                groups.append((finding.network, [finding]))
            }
        }
        // The host's own checks are news only when one does not pass.
        groups.removeAll { group in group.network == nil && !verbose && group.findings.allSatisfy { $0.status == .ok } }
        let headings = groups.map { $0.network ?? hostHeading }
        let headingWidth = headings.map(\.count).max() ?? 0
        var lines: [String] = []
        for (group, heading) in zip(groups, headings) {
            let worst = group.findings.map(\.status).max() ?? .ok
            lines.append("\(heading.padding(headingWidth))  \(worst.rawValue.padding(4))  \(summary(group.findings))")
            for finding in group.findings where verbose || finding.status != .ok {
                lines.append("  \(finding.status.rawValue.padding(4))  \(finding.check)")
                lines += TextWrapper.wrap(finding.detail, width: width, first: "        ", rest: "        ")
                if let fix = finding.fix, finding.status != .ok {
                    lines += TextWrapper.wrap(fix, width: width, first: "        fix: ", rest: "             ")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func summary(_ findings: [DoctorFinding]) -> String {
        let checks = findings.count == 1 ? "1 check" : "\(findings.count) checks"
        let failed = findings.filter { $0.status == .fail }.count
        let warned = findings.filter { $0.status == .warn }.count
        var parts: [String] = []
        if failed > 0 { parts.append("\(failed) failed") }
        if warned > 0 { parts.append(warned == 1 ? "1 warning" : "\(warned) warnings") }
        return parts.isEmpty ? checks : "\(checks): " + parts.joined(separator: ", ")
    }

    public static func json(_ findings: [DoctorFinding]) -> JSONValue {
        .array(findings.map { finding in
            .object([
                "network": JSONValue(finding.network), "check": .string(finding.check), "status": .string(finding.status.rawValue),
                "detail": .string(finding.detail), "fix": JSONValue(finding.fix),
            ])
        })
    }

    /// 0 when nothing failed, 1 otherwise.
    public static func exitStatus(_ findings: [DoctorFinding]) -> Int32 {
        findings.contains { $0.status == .fail } ? 1 : 0
    }
}

private extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
