import VmnetCore
import VmnetShell

/// (g) A project file of N networks (two hosts and a forward each): the first apply, a plan
/// and an apply of the unchanged file (what a CI job or a shell hook pays on every run), and
/// an edit of one network applied in place.
extension Scenarios {
    func projectApply(_ count: Int) throws -> [Figure] {
        host.freshState()
        let path = host.directory + "/vmnet.json"
        func write(leaseTime: String) throws {
            let networks = (0..<count).map { index in
                """
                "n\(index)": {"lease_time": "\(index == 0 ? leaseTime : "1h")", "ipv6": false,
                  "hosts": {"db": {}, "web": {}}, "forwards": [{"port": \(20000 + index), "target": "web", "target_port": 80}]}
                """
            }
            try FileSystem.writeAtomically(#"{"version": 1, "project": "bench", "networks": {"# + networks.joined(separator: ",\n") + "}}", to: path)
        }
        try write(leaseTime: "1h")
        let first = try host.timeVmnet("apply", "-f", path)
        var plans: [Double] = [], noops: [Double] = [], edits: [Double] = []
        for round in 0..<repeats {
            plans.append(try host.timeVmnet("plan", "-f", path))
            noops.append(try host.timeVmnet("apply", "-f", path))
            try write(leaseTime: round % 2 == 0 ? "2h" : "1h")
            edits.append(try host.timeVmnet("apply", "-f", path))
        }
        try host.vmnet("destroy", "-f", path)
        let noop = Stopwatch.median(noops)
        return [
            Figure(name: "apply of a new \(count)-network project file", vmnet: first, baseline: nil, unit: "ms", target: "-", passed: true),
            Figure(name: "plan of an unchanged \(count)-network file", vmnet: Stopwatch.median(plans), baseline: nil, unit: "ms", target: "-", passed: true),
            Figure(name: "apply of an unchanged \(count)-network file", vmnet: noop, baseline: nil, unit: "ms", target: "< 50 ms", passed: noop < 50),
            Figure(name: "apply of one changed lease time (\(count) networks)", vmnet: Stopwatch.median(edits), baseline: nil, unit: "ms", target: "-", passed: true),
        ]
    }
}
