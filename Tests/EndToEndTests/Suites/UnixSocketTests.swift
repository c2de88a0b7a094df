import Glibc
import Testing
import VmnetShell

/// How vmnet tells a running daemon from the socket file a stopped one leaves behind, and
/// the warnings channel; neither needs root nor namespaces.
@Suite struct UnixSocketTests {
    @Test func aSocketFileWithoutListenerRefuses() throws {
        var template = Array("/tmp/vmnet-socket-XXXXXX".utf8CString)
        let directory = String(cString: try #require(mkdtemp(&template)))
        defer { FileSystem.removeTree(directory) }
        let path = directory + "/daemon.sock"
        #expect(UnixSocket.state(path) == .absent)

        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0 && listen(fd, 1) == 0)
        #expect(UnixSocket.state(path) == .listening)

        close(fd)
        #expect(FileSystem.exists(path))
        #expect(UnixSocket.state(path) == .refusing)
    }

    @Test func warningsAreReportedAtOnceAndKept() {
        let heard = Warnings()
        let warnings = Warnings(report: { heard.add("heard: " + $0) })
        warnings.add("one: why: fix")
        warnings.add("two: why: fix")
        #expect(warnings.lines == ["one: why: fix", "two: why: fix"])
        #expect(heard.lines == ["heard: one: why: fix", "heard: two: why: fix"])
    }
}
