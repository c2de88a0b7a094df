import JSON

/// How `vmnet doctor` prints its findings: an aligned table for people, a JSON array for programs.
public enum DoctorReport {
    public static func table(_ findings: [DoctorFinding]) -> String {
        var table = TextTable(headers: ["NETWORK", "CHECK", "STATUS", "DETAIL", "FIX"])
        for finding in findings {
            table.append([finding.network ?? "-", finding.check, finding.status.rawValue, finding.detail, finding.fix ?? "-"])
        }
        return table.render()
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
