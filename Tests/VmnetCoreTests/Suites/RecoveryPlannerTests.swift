import JSON
import Testing
import VmnetCore

/// Finishing or undoing a killed command: what the planner decides from the journal, the
/// records and what is on the host.
struct RecoveryPlannerTests {
    static var web: NetworkRecord {
        var record = Fixtures.web
        record.enabled = true
        return record
    }

    static func links(of record: NetworkRecord) -> Set<String> {
        let keeper = BridgeNamer.keeperPort(for: record.bridge)
        return [record.bridge, keeper.port, keeper.peer]
    }

    @Test func theJournalReadsBackAndRefusesANewerVersion() throws {
        let intent = Intent.bringingUp(.create, networks: [Fixtures.web.name], records: [Fixtures.web])
        let text = JSONCodec.serialize(intent.json)
        #expect(try Intent(text: text, file: "intent.json") == intent)
        #expect(intent.links.contains(Fixtures.web.bridge) && intent.effects.contains { $0.contains("start dnsmasq") })
        let all = Intent(.up, networks: nil)
        #expect(try Intent(text: JSONCodec.serialize(all.json), file: "intent.json") == all)
        #expect(throws: VmnetError.self) { try Intent(text: #"{"version": 2, "command": "up"}"#, file: "intent.json") }
        #expect(throws: VmnetError.self) { try Intent(text: #"{"version": 1, "command": "reboot"}"#, file: "intent.json") }
        #expect(throws: VmnetError.self) { try Intent(text: String(text.prefix(20)), file: "intent.json") }
    }

    @Test func aKilledCreateIsUndoneAndAKilledDestroyFinished() {
        let observed = RecoveryObservation(records: [Fixtures.web], interfaces: Self.links(of: Fixtures.web), stateDirectories: ["web"], runDirectories: ["web"])
        for command in [Intent.Command.create, .destroy] {
            let actions = RecoveryPlanner.plan(Intent(command, networks: [Fixtures.web.name]), observed)
            // destroy removes the links, the dnsmasq and the directories itself.
            #expect(actions == [.destroy(Fixtures.web.name)])
        }
        // A create killed before its record: only the empty directory is left.
        let early = RecoveryObservation(records: [], interfaces: [], stateDirectories: ["lab"], emptyStateDirectories: ["lab"])
        #expect(RecoveryPlanner.plan(Intent(.create, networks: [Fixtures.lab.name]), early) == [.destroy(Fixtures.lab.name)])
    }

    @Test func aKilledUpOrDownIsFinishedFromTheRecords() {
        var lab = Fixtures.lab
        lab.enabled = false
        let observed = RecoveryObservation(records: [Self.web, lab], interfaces: Self.links(of: Self.web).union(Self.links(of: lab)),
                                           runDirectories: ["web", "lab"], firewallBridges: [.nftables: [Self.web.bridge, lab.bridge]])
        // A dnsmasq of a network that is down goes first, before an up could start another.
        #expect(RecoveryPlanner.plan(Intent(.up, networks: nil), observed) == [.stopDnsmasq("lab"), .bringUp(Self.web.name), .bringDown(lab.name)])
        // Only the named ones; the other's links are the next command's business…
        let named = RecoveryPlanner.plan(Intent(.down, networks: [Self.web.name]), observed)
        #expect(named.contains(.bringUp(Self.web.name)) && !named.contains(.bringDown(lab.name)))
        // …except what a disabled network must not have: a dnsmasq and firewall elements.
        #expect(named.contains(.stopDnsmasq("lab")) && named.contains(.rebuildFirewall(.nftables)))
        #expect(!named.contains { if case .deleteLinks = $0 { return true } else { return false } })
    }

    @Test func whatNoRecordOwnsGoes() {
        let stray = BridgeNamer.keeperPort(for: "vmn-gone")
        let foreign = "vmn-notmine"
        let observed = RecoveryObservation(
            records: [Self.web], interfaces: Self.links(of: Self.web).union(["vmn-gone", stray.port, stray.peer, foreign, "vmq-0000beef", "eth0"]),
            stateDirectories: ["web", "gone"], runDirectories: ["web", "gone"], emptyStateDirectories: ["gone"],
            temporaryFiles: ["/run/vmnet/web/.dnsmasq.conf.12.tmp"], firewallBridges: [.nftables: [Self.web.bridge, "vmn-gone"], .iptables: []],
            dnsmasqProcesses: [77: "gone", 78: "web", 79: "lost", 80: "web"], dnsmasqPidFiles: ["web": 78])
        let actions = RecoveryPlanner.plan(Intent(.install, networks: [Self.web.name]), observed)
        #expect(actions == [
            .removeFile("/run/vmnet/web/.dnsmasq.conf.12.tmp"), .stopDnsmasq("gone"), .removeRunDirectory("gone"),
            // Found in /proc: also those whose pid file (or run directory) is gone, and a second
            // one of a network that is up.
            .killDnsmasq(pid: 77, network: "gone"), .killDnsmasq(pid: 79, network: "lost"), .killDnsmasq(pid: 80, network: "web"),
            // A vmn- bridge without vmnet's keeper port is left alone; one end of each veth pair is named.
            .deleteLinks(["vmn-gone", stray.port, "vmq-0000beef"]), .rebuildFirewall(.nftables), .removeStateDirectory("gone"),
        ])
        // A bridge the journal names counts as vmnet's even without its keeper port.
        let named = RecoveryPlanner.plan(Intent(.up, networks: [], links: [foreign]), RecoveryObservation(records: [], interfaces: [foreign]))
        #expect(named == [.deleteLinks([foreign])])
    }

    @Test func anUnreadableJournalStillSweeps() {
        let observed = RecoveryObservation(records: [Self.web], interfaces: Self.links(of: Self.web), runDirectories: ["web"],
                                           firewallBridges: [.nftables: [Self.web.bridge]])
        #expect(RecoveryPlanner.plan(nil, observed).isEmpty)
        #expect(RecoveryPlanner.plan(Intent(.hostAdd, networks: [Self.web.name]), observed) == [.republishHosts(Self.web.name)])
    }

    @Test func everyFaultPointHasAUniqueName() {
        let names = FaultPoint.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
    }
}

@Suite struct PendingRecoveryTests {
    @Test func namesTheKilledCommandAndItsNetworks() throws {
        let intent = Intent(.up, networks: [try NetworkName("web"), try NetworkName("db")])
        #expect(PendingRecovery.notice(.success(intent)) == "a killed 'vmnet up' of web, db is pending: the next vmnet command finishes it, what is shown may be half done")
        #expect(PendingRecovery.notice(.success(Intent(.down, networks: nil))).hasPrefix("a killed 'vmnet down' is pending"))
        #expect(PendingRecovery.notice(.failure(.failed("intent.json: not JSON"))).contains("cannot be read (intent.json: not JSON)"))
    }
}
