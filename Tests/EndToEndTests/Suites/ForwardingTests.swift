import Testing
import VmnetCore
import VmnetShell

@Suite("IPv4 forwarding, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct ForwardingTests {
    @Test func aRefusedSysctlWriteFailsCreateAndChangesNothing() throws {
        let world = try VmnetWorld("fw")
        let before = try world.footprint()
        // /proc/sys read-only in a mount namespace of its own: the write is refused.
        let assignments = world.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let result = try world.sandbox.runner.run([
            "nsenter", "--net=/run/netns/\(world.host)", "unshare", "-m", "--propagation", "private", "sh", "-c",
            "mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys && exec env \(assignments.joined(separator: " ")) \(EndToEnd.binary) create web",
        ])
        #expect(!result.succeeded)
        #expect(result.standardError.contains("enabling IPv4 forwarding"), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(try world.footprint() == before)
        #expect(try world.inHost("cat", "/proc/sys/net/ipv4/ip_forward").standardOutput.hasPrefix("0"))
    }

    @Test func lastDestroyLeavesForwardingOn() throws {
        let world = try VmnetWorld("fv")
        try world.ok("create", "web")
        try world.ok("destroy", "web")
        #expect(try world.inHost("cat", "/proc/sys/net/ipv4/ip_forward").standardOutput.hasPrefix("1"))
    }
}
