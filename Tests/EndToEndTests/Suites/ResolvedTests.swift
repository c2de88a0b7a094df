import JSON
import Glibc
import Testing
import VmnetCore
import VmnetShell

/// The host resolves a network's names through a real systemd-resolved (shared by these
/// tests, see ResolvedDaemon), and a resolved that stops or starts late never fails vmnet.
@Suite("systemd-resolved, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct ResolvedTests {
    let daemon: ResolvedDaemon

    init() throws {
        daemon = try ResolvedDaemon.shared()
        try daemon.start()
    }

    @Test func theHostResolvesNamesWithAndWithoutAGuest() throws {
        let name = "rs-names"
        let created = try daemon.ok("create", name)
        #expect(warnings(created).isEmpty, "\(created.standardError)")
        defer { _ = try? daemon.vmnet("destroy", name) }
        let box = try daemon.reserve("box", on: name)
        let (bridge, gateway) = try network(name)
        #expect(try registered(bridge) == ["\(gateway)", "~\(name).vmnet"])

        // No guest attached: only the keeper port holds the bridge's carrier.
        let withoutGuest = try daemon.resolveOnHost("box.\(name).vmnet")
        #expect(hasCarrier(bridge), "the keeper port gives an empty bridge its carrier")
        #expect(withoutGuest == box)

        let client = try daemon.sandbox.addClient(on: bridge, in: daemon.host)
        let lease = try #require(try daemon.sandbox.requestLease(in: client, hostname: "guest"), "no DHCP lease on \(name)")
        #expect(try daemon.resolveOnHost("box.\(name).vmnet") == box)
        #expect(try daemon.resolveOnHost("guest.\(name).vmnet") == lease.address)

        // Without carrier, resolved drops the link's scope whatever vmnet registered: with the
        // keeper raised by hand, a bridge without guests resolves.
        try daemon.run(["ip", "link", "delete", try clientPort(bridge)]).requireSuccess("detaching the guest")
        raiseKeeper(of: bridge)
        try waitFor("carrier on \(bridge)") { hasCarrier(bridge) }
        #expect(try daemon.resolveOnHost("box.\(name).vmnet") == box)

        try daemon.ok("down", name)
        #expect(try registered(bridge) == nil)
        #expect(!(try daemon.resolvectl("domain").standardOutput.contains("~\(name).vmnet")))
        #expect(try daemon.resolveOnHost("box.\(name).vmnet") == nil)
    }

    @Test func aStoppedResolvedIsOneWarningAndTheNextUpRegisters() throws {
        let name = "rs-late"
        try daemon.stop()
        defer { try? daemon.start() }
        #expect(FileSystem.exists(daemon.socketPath), "a stopped resolved leaves its socket behind")

        let created = try daemon.ok("create", name)
        defer { _ = try? daemon.vmnet("destroy", name) }
        let expected = "vmnet: warning: registering \(name).vmnet with systemd-resolved: it is not running"
        #expect(warnings(created).count == 1 && warnings(created).first?.hasPrefix(expected) == true, "\(created.standardError)")
        let up = try daemon.ok("up", name)
        #expect(warnings(up).count == 1 && warnings(up).first?.hasPrefix(expected) == true, "\(up.standardError)")
        let box = try daemon.reserve("box", on: name)
        let (bridge, gateway) = try network(name)

        // Something listens where resolved should, but resolvectl cannot reach resolved: the
        // failed registration is one warning as well.
        let unreachable = try daemon.run([EndToEnd.binary, "up", name], environment: ["VMNET_RESOLVED_SOCKET": "/run/dbus/system_bus_socket"])
        #expect(unreachable.status == 0, "\(unreachable.standardError)")
        #expect(warnings(unreachable).count == 1, "\(unreachable.standardError)")
        #expect(warnings(unreachable).first?.hasPrefix("vmnet: warning: registering \(name).vmnet with systemd-resolved: resolvectl dns \(bridge)") == true,
                "\(unreachable.standardError)")

        try daemon.start()
        #expect(try registered(bridge) == ["", ""])
        let again = try daemon.ok("up", name)
        #expect(warnings(again).isEmpty, "\(again.standardError)")
        #expect(try registered(bridge) == ["\(gateway)", "~\(name).vmnet"])
        raiseKeeper(of: bridge)
        try waitFor("carrier on \(bridge)") { hasCarrier(bridge) }
        #expect(try daemon.resolveOnHost("box.\(name).vmnet") == box)
    }

    @Test func doctorFindingsFollowTheRegistration() throws {
        let name = "rs-doctor"
        try daemon.ok("create", name)
        defer { _ = try? daemon.vmnet("destroy", name) }
        let registrar = ResolvedRegistrar(runner: daemon.runner, environment: ["VMNET_RESOLVED_SOCKET": daemon.socketPath])
        let store = StateStore(paths: Paths(environment: daemon.environment, executablePath: EndToEnd.binary))
        let record = try #require(try store.load(try NetworkName(name)))

        // Registered, but a bridge without carrier has no DNS scope: resolved does not use it.
        let keeper = BridgeNamer.keeperPort(for: record.bridge)
        try daemon.run(["ip", "link", "set", keeper.port, "down"]).requireSuccess("taking the keeper port down")
        try waitFor("resolved dropping the scope of \(record.bridge)") { !hasCarrier(record.bridge) && registrar.findings(for: [record]).map(\.status) == [.fail] }
        #expect(registrar.findings(for: [record]).first?.detail.contains("no DNS scope") == true, "\(registrar.findings(for: [record]))")
        raiseKeeper(of: record.bridge)
        try waitFor("resolved using \(record.bridge)") { registrar.findings(for: [record]).map(\.status) == [.ok] }

        #expect(registrar.findings(for: [record]).map(\.status) == [.ok])
        try daemon.resolvectl("revert", record.bridge).requireSuccess("reverting \(record.bridge)")
        let broken = registrar.findings(for: [record])
        #expect(broken.map(\.status) == [.fail])
        #expect(broken.first?.fix == "vmnet up \(name)")
        #expect(broken.first?.detail.contains("~\(name).vmnet") == true, "\(broken)")
        // The command names it too.
        let verdict = try daemon.vmnet("doctor", name, "--json")
        let resolverStatus = try JSONCodec.parse(verdict.standardOutput, source: "vmnet doctor").arrayValue?
            .first { $0["check"]?.stringValue == ResolvedPlanner.check }?["status"]?.stringValue
        #expect(verdict.status == 1 && resolverStatus == "fail", "\(verdict.standardOutput)")
        try daemon.ok("up", name)
        #expect(registrar.findings(for: [record]).map(\.status) == [.ok])

        try daemon.stop()
        defer { try? daemon.start() }
        #expect(registrar.findings(for: [record]).map(\.status) == [.warn])
        try daemon.start()
        try daemon.ok("down", name)
        #expect(registrar.findings(for: [try #require(try store.load(try NetworkName(name)))]).isEmpty)
    }

    // MARK: helpers

    private func warnings(_ result: ProcessResult) -> [String] {
        result.standardError.split(whereSeparator: \.isNewline).map(String.init).filter { $0.hasPrefix("vmnet: warning:") }
    }

    private func network(_ name: String) throws -> (bridge: String, gateway: String) {
        let text = try daemon.ok("show", name).standardOutput
        func field(_ key: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix(key + ":") }.flatMap { $0.split(separator: " ").last.map(String.init) }
        }
        return (try #require(field("bridge")), try #require(field("gateway")))
    }

    /// The DNS servers and domains resolved holds for the link; nil when the link is gone.
    private func registered(_ bridge: String) throws -> [String]? {
        let dns = try daemon.resolvectl("dns", bridge)
        let domain = try daemon.resolvectl("domain", bridge)
        guard dns.succeeded, domain.succeeded else { return nil }
        return [dns, domain].map { ResolvedPlanner.linkValues($0.standardOutput).joined(separator: " ") }
    }

    private func hasCarrier(_ bridge: String) -> Bool {
        let output = (try? daemon.run(["ip", "-o", "link", "show", "dev", bridge]).standardOutput) ?? ""
        return output.contains("LOWER_UP") && !output.contains("NO-CARRIER")
    }

    private func raiseKeeper(of bridge: String) {
        let keeper = BridgeNamer.keeperPort(for: bridge)
        for link in [keeper.port, keeper.peer] { _ = try? daemon.run(["ip", "link", "set", link, "up"]) }
    }

    /// The bridge's port that is neither the keeper nor loopback: the guest's veth.
    private func clientPort(_ bridge: String) throws -> String {
        let keeper = BridgeNamer.keeperPort(for: bridge).port
        let output = try daemon.run(["ip", "-o", "link", "show", "master", bridge]).standardOutput
        let names = output.split(separator: "\n").compactMap { line in
            line.split(separator: " ").dropFirst().first.map { String($0.split(separator: "@")[0].trimmingSuffix(":")) }
        }
        return try #require(names.first { $0 != keeper }, "no guest port on \(bridge): \(output)")
    }

    private func waitFor(_ what: String, _ condition: () -> Bool) throws { try daemon.waitFor(what, seconds: 5, condition) }
}

extension Substring {
    fileprivate func trimmingSuffix(_ suffix: String) -> Substring {
        hasSuffix(suffix) ? dropLast(suffix.count) : self
    }
}
