import Testing
import VmnetCore

@Suite struct PortPlannerTests {
    let bridge = "vmn-proj"

    @Test func theKeeperPortIsNotAGuest() {
        let keeper = BridgeNamer.keeperPort(for: bridge)
        #expect(PortPlanner.guestPorts([keeper.port, "vnet1", "veth9"], bridge: bridge) == ["veth9", "vnet1"])
        #expect(PortPlanner.guestPorts([keeper.port], bridge: bridge).isEmpty)
    }

    @Test func onlyPortsThatExistWithoutMasterAreAttachedAgain() {
        let operations = PortPlanner.reattach(
            remembered: ["gone", "free", "elsewhere", "home"], bridge: bridge,
            interfaces: ["free", "elsewhere", "home"], masters: ["elsewhere": "br0", "home": bridge])
        #expect(operations == [.setMaster(name: "free", master: bridge)])
    }

    @Test func downRefusesWithEveryGuestOnOneLine() throws {
        #expect(PortPlanner.refusal([(try NetworkName("a"), "vmn-a", [])]) == nil)
        let refusal = try #require(PortPlanner.refusal([(try NetworkName("a"), "vmn-a", ["tap0", "veth1"]), (try NetworkName("b"), "vmn-b", [])]))
        #expect(refusal.code == .conflict)
        #expect(refusal.message.contains("a (vmn-a: tap0, veth1)"))
        #expect(!refusal.message.contains("vmn-b"))
        #expect(!refusal.message.contains("\n"))
    }
}
