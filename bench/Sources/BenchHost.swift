import Glibc
import VmnetCore
import VmnetShell

/// The namespace the benchmark runs in (bench/run starts it there) and the two contenders:
/// the vmnet binary with its own state directory, and the original per-bridge script.
final class BenchHost {
    let namespace: String
    let vmnetBinary: String
    let script: String
    let runner = SpawnRunner()
    let directory: String
    private var scenario = 0

    init(namespace: String, vmnetBinary: String, script: String) throws {
        self.namespace = namespace
        self.vmnetBinary = vmnetBinary
        self.script = script
        var template = Array("/tmp/vmnet-bench-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw VmnetError.failed("creating the benchmark directory") }
        directory = String(cString: made)
        chmod(directory, 0o755)
    }

    /// Fresh vmnet state for a scenario (the variables reach every vmnet this process starts).
    func freshState() {
        scenario += 1
        let root = "\(directory)/s\(scenario)"
        setenv("VMNET_STATE_DIR", root + "/state", 1)
        setenv("VMNET_RUN_DIR", root + "/run", 1)
        setenv("VMNET_CONFIG_DIR", root + "/etc", 1)
    }

    @discardableResult
    func vmnet(_ arguments: String...) throws -> ProcessResult {
        try vmnet(arguments)
    }

    @discardableResult
    func vmnet(_ arguments: [String]) throws -> ProcessResult {
        try runner.run([vmnetBinary] + arguments).requireSuccess("vmnet \(arguments.prefix(3).joined(separator: " "))")
    }

    /// Times a vmnet command in milliseconds.
    func timeVmnet(_ arguments: String...) throws -> Double {
        try timeVmnet(arguments)
    }

    func timeVmnet(_ arguments: [String]) throws -> Double {
        try Stopwatch.measure { try vmnet(arguments) }
    }

    func scriptStart(_ index: Int) throws -> Double {
        try Stopwatch.measure {
            try runner.run([script, "start", "vmb\(index)", "10.150.\(index).1/24", directory]).requireSuccess("original start \(index)")
        }
    }

    func scriptStop(_ index: Int) throws -> Double {
        try Stopwatch.measure {
            try runner.run([script, "stop", "vmb\(index)", "10.150.\(index).1/24", directory]).requireSuccess("original stop \(index)")
        }
    }

    /// Peak resident size in KiB of one run of `arguments`, from GNU time.
    func peakRSS(_ arguments: [String]) throws -> Double {
        let result = try runner.run(["/usr/bin/time", "-f", "%M", vmnetBinary] + arguments).requireSuccess("measuring vmnet's memory")
        return Double(result.standardError.split(whereSeparator: \.isNewline).last.flatMap { Double($0) } ?? .nan)
    }

    /// VmHWM of every running dnsmasq started for vmnet networks, in KiB.
    func dnsmasqPeaks() -> [Double] {
        FileSystem.list("/proc").compactMap { pid -> Double? in
            guard Int(pid) != nil, let command = FileSystem.readIfPresent("/proc/\(pid)/cmdline"), command.hasPrefix("dnsmasq\0--conf-file=") else { return nil }
            let status = FileSystem.readIfPresent("/proc/\(pid)/status") ?? ""
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
            return line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { Double($0) }
        }
    }

    func cleanUp() { FileSystem.removeTree(directory) }
}
