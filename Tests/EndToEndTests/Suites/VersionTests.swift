import Testing
import VmnetShell

/// `vmnet --version` names the version in VERSION and the git revision of the checkout it
/// was built from, in every build (the BuildInfo plugin), not only in the package.
@Suite("vmnet --version")
struct VersionTests {
    @Test func versionNamesTheVersionFileAndTheRevision() throws {
        try #require(FileSystem.exists(EndToEnd.binary), "no vmnet binary at \(EndToEnd.binary): run 'swift build' first")
        var root = #filePath
        for _ in 0..<4 { root = FileSystem.parent(of: root) }
        let runner = SpawnRunner()
        let version = String(try FileSystem.read(root + "/VERSION").prefix { $0 != "\n" })
        let output = try runner.run([EndToEnd.binary, "--version"])
        #expect(output.succeeded, "\(output.failureSummary)")
        let head = ExecutableLocator.find("git") == nil ? nil : try runner.run(["git", "-C", root, "rev-parse", "--short=12", "HEAD"])
        let revision = head.flatMap { result in result.succeeded ? String(result.standardOutput.prefix { $0 != "\n" }) : nil } ?? "unknown"
        #expect(output.standardOutput.hasPrefix("\(version) (revision \(revision)"), "vmnet --version: \(output.standardOutput)")
    }
}
