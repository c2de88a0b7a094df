import Glibc
import Testing
import VmnetShell

/// Settings of the end-to-end run. Under CI every end-to-end test runs, so a missing tool
/// fails it; on a developer machine without root or the tools they are disabled.
enum EndToEnd {
    static let isCI = ProcessEnvironment.current()["CI"] == "true"
    static let programs = ["ip", "dnsmasq", "nft", "iptables", "busybox", "ethtool", "ss"]

    static var missingPrograms: [String] { programs.filter { ExecutableLocator.find($0) == nil } }

    static var enabled: Bool { isCI || (geteuid() == 0 && missingPrograms.isEmpty) }

    /// The vmnet binary under test: $VMNET_BINARY, else the debug build of this checkout.
    static var binary: String {
        if let path = ProcessEnvironment.current()["VMNET_BINARY"] { return path }
        var root = #filePath
        for _ in 0..<4 { root = FileSystem.parent(of: root) }
        return root + "/.build/debug/vmnet"
    }

    /// Fails the test (rather than skipping it) when something it needs is missing.
    static func requirePrerequisites() throws {
        let missing = missingPrograms
        try #require(missing.isEmpty, "missing programs: \(missing.joined(separator: ", ")); run scripts/install-deps")
        try #require(geteuid() == 0, "end-to-end tests need root")
        try #require(FileSystem.exists(binary), "no vmnet binary at \(binary): run 'swift build' first")
    }
}
