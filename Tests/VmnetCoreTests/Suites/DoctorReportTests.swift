import Testing
import VmnetCore

/// Doctor's output for people: a line per healthy network, failing checks wrapped to 100 columns.
@Suite struct DoctorReportTests {
    static func healthy(_ network: String, checks: Int) -> [DoctorFinding] {
        (0..<checks).map { DoctorFinding.ok(network, "check-\($0)", "fine") }
    }

    /// A firewall detail as long as the real one that names every chain.
    static let longFirewallDetail = "iptables: missing the jumps from filter FORWARD to VMNET-FORWARD, from filter INPUT to "
        + "VMNET-INPUT, from nat POSTROUTING to VMNET-POSTROUTING, from nat PREROUTING to VMNET-PREROUTING, from mangle "
        + "POSTROUTING to VMNET-MANGLE-POSTROUTING; chains present: " + (1...12).map { "DOCKER-ISOLATION-STAGE-\($0)" }.joined(separator: ",")

    static var mixed: [DoctorFinding] {
        healthy("shop", checks: 17) + healthy("lab", checks: 15) + [
            DoctorFinding(network: "lab", check: "firewall", status: .fail, detail: longFirewallDetail, fix: "vmnet up lab"),
            DoctorFinding(network: "lab", check: "host-resolver", status: .warn,
                          detail: "systemd-resolved does not know vmn-lab: names under lab.vmnet do not resolve on the host",
                          fix: "vmnet up lab, or add 'DNS=10.140.9.1' and 'Domains=~lab.vmnet' for vmn-lab in resolved"),
            DoctorFinding(network: nil, check: "ip-forwarding", status: .ok, detail: "net.ipv4.ip_forward is 1"),
        ]
    }

    @Test func healthyNetworksTakeOneLineEach() {
        let text = DoctorReport.text(Self.healthy("shop", checks: 17) + Self.healthy("db", checks: 1))
        #expect(text == "shop  ok    17 checks\ndb    ok    1 check\n")
    }

    @Test func failingChecksAreWrappedWithTheirFixOnALineOfItsOwn() throws {
        let text = DoctorReport.text(Self.mixed)
        try GoldenFile.check(text, "doctor-text.txt")
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= DoctorReport.width })
        #expect(text.contains("\n        fix: vmnet up lab\n"))
    }

    @Test func verbosePrintsEveryCheck() throws {
        let text = DoctorReport.text(Self.mixed, verbose: true)
        try GoldenFile.check(text, "doctor-text-verbose.txt")
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= DoctorReport.width })
        #expect(text.contains("  ok    check-16"))
    }

    /// A network may be called "host": it is neither merged with the host's own findings nor
    /// hidden with them when they pass.
    @Test func aNetworkCalledHostIsNotTheHost() {
        let findings = Self.healthy("host", checks: 2) + [DoctorFinding(network: nil, check: "ip-forwarding", status: .ok, detail: "1")]
        #expect(DoctorReport.text(findings) == "host  ok    2 checks\n")
        #expect(DoctorReport.text(findings, verbose: true).hasSuffix("(host)  ok    1 check\n  ok    ip-forwarding\n        1\n"))
    }

    @Test func aWordLongerThanALineIsCut() {
        let lines = TextWrapper.wrap(String(repeating: "x", count: 250), width: 100, first: "    ", rest: "    ")
        #expect(lines.count == 3 && lines.allSatisfy { $0.count <= 100 })
        #expect(lines.joined().filter { $0 == "x" }.count == 250)
    }

    @Test func newlinesAndTabsInADetailKeepTheIndent() {
        let detail = "nft said:\n\tError: No such file or directory\n" + String(repeating: "table inet vmnet ", count: 8)
        let text = DoctorReport.text([DoctorFinding(network: "web", check: "firewall", status: .fail, detail: detail, fix: "vmnet up web")])
        let lines = text.split(separator: "\n")
        #expect(lines.dropFirst(2).allSatisfy { $0.hasPrefix("        ") && $0.count <= DoctorReport.width }, "\(text)")
        #expect(!text.contains("\t"))
        #expect(lines[2] == "        nft said: Error: No such file or directory table inet vmnet table inet vmnet table inet")
    }

    @Test func wrappingKeepsEveryWordInOrder() {
        let text = (1...60).map { "word\($0)" }.joined(separator: " ")
        let lines = TextWrapper.wrap(text, width: 40, first: "a: ", rest: "   ")
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(lines.joined(separator: " ").split(separator: " ").filter { $0 != "a:" } .map(String.init) == text.split(separator: " ").map(String.init))
    }
}
