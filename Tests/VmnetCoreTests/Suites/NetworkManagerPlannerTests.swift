import Testing
import VmnetCore

/// What vmnet tells NetworkManager, and the doctor's reading of `nmcli -t -f DEVICE,STATE
/// device` (as NetworkManager 1.42 printed it in a test namespace).
@Suite struct NetworkManagerPlannerTests {
    @Test func theDropInAddsVmnetsLinksToTheUnmanagedOnes() {
        let text = NetworkManagerPlanner.dropIn(for: [Fixtures.web, Fixtures.network("own", subnet: "10.140.21.0/24", bridge: "br-own")])
        let lines = text.split(separator: "\n")
        #expect(lines.contains("[keyfile]"))
        #expect(lines.contains("unmanaged-devices+=interface-name:vmn-*;interface-name:vmp-*;interface-name:vmq-*;interface-name:br-own"))
        #expect(NetworkManagerPlanner.dropIn(for: [Fixtures.web]) == NetworkManagerPlanner.dropIn(for: [Fixtures.lab, Fixtures.web]))
    }

    @Test func everyKeeperPortMatchesTheDropInsPatterns() {
        let keeper = BridgeNamer.keeperPort(for: Fixtures.web.bridge)
        #expect(NetworkManagerPlanner.links(of: Fixtures.web) == ["vmn-web", keeper.port, keeper.peer])
        #expect(keeper.port.hasPrefix("vmp-") && keeper.peer.hasPrefix("vmq-"))
    }

    @Test func devicesAndTheirStatesAreRead() {
        let output = "vmn-web:connected (externally)\nh-up:connected (externally)\nlo:unmanaged\n"
        #expect(NetworkManagerPlanner.deviceStates(output) == ["vmn-web": "connected (externally)", "h-up": "connected (externally)", "lo": "unmanaged"])
        #expect(NetworkManagerPlanner.deviceStates("").isEmpty)
    }

    @Test func aNetworkWhoseLinksAreUnmanagedPasses() {
        let keeper = BridgeNamer.keeperPort(for: "vmn-web")
        let output = "h-up:connected (externally)\nvmn-web:unmanaged\n\(keeper.port):unmanaged\n\(keeper.peer):unmanaged\n"
        #expect(NetworkManagerPlanner.finding(Fixtures.web, deviceOutput: output, dropIn: "/etc/NetworkManager/conf.d/vmnet.conf").status == .ok)
        // A link NetworkManager does not list is none of its business either.
        #expect(NetworkManagerPlanner.finding(Fixtures.web, deviceOutput: "h-up:connected\n", dropIn: "d").status == .ok)
    }

    @Test func aManagedLinkFailsNamingItAndTheFix() {
        let keeper = BridgeNamer.keeperPort(for: "vmn-web")
        let output = "vmn-web:connected (externally)\n\(keeper.port):unmanaged\n\(keeper.peer):connected\n"
        let finding = NetworkManagerPlanner.finding(Fixtures.web, deviceOutput: output, dropIn: "/etc/NetworkManager/conf.d/vmnet.conf")
        #expect(finding.status == .fail && finding.check == "host-networkmanager" && finding.network == "web")
        #expect(finding.detail == "NetworkManager manages vmn-web (connected (externally)), \(keeper.peer) (connected): it may run DHCP on them or flush their addresses")
        #expect(finding.fix == "vmnet up web (rewrites /etc/NetworkManager/conf.d/vmnet.conf and reloads NetworkManager), then restart NetworkManager if a bridge stays managed")
    }
}
