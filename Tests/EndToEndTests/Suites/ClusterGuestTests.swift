import Foundation
import Glibc
import JSON
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// VMs on cluster networks, end to end on the three-host OVN harness: two host-only projects,
/// a VM of each on h2 and on h3 plugged as libvirt plugs the exported interface, their leases
/// and names from OVN, traffic within a project across hosts and none between projects, each
/// member host's own attachment (names, ping, down/up), and `host rm` taking the names away.
extension OVNClusterSuites {
    @Suite("Cluster guests, end to end")
    struct ClusterGuestTests {
        @Test("VMs of two projects on two hosts: leases, names, traffic, isolation, member attachments")
        func guestsAcrossHosts() throws {
            let cluster = try OVNCluster.get().joinAll()
            let sandbox = cluster.sandbox
            let (h1, h2, h3) = (try cluster.host("h1"), try cluster.host("h2"), try cluster.host("h3"))
            let before = try cluster.nbRowCounts()
            let projects = ["gp1", "gp2"]
            var guests: [String] = []
            defer {
                for guest in guests { try? cluster.unplugGuest(guest) }
                for project in projects {
                    for host in [h2, h3] { _ = try? host.vmnet("down", project) }
                    _ = try? h1.vmnet("destroy", project)
                }
            }
            for project in projects {
                try h1.vmnet("create", project, "--cluster", "--profile", "ovn-host-only").requireSuccess("creating \(project)")
                for host in [h2, h3] { try host.vmnet("up", project).requireSuccess("attaching \(host.name) to \(project)") }
            }

            // A VM per project on h2 and on h3: vm-a on h2, vm-b on h3.
            struct VM { let project: String, name: String, host: ClusterHost, ip: IPv4Address, mac: String, interfaceID: String, namespace: String }
            var vms: [VM] = []
            for project in projects {
                for (name, host) in [("vm-a", h2), ("vm-b", h3)] {
                    let adding = ContinuousClock.now
                    let added = try h1.vmnet("host", "add", project, name, "--json").requireSuccess("adding \(name) to \(project)")
                    print("cluster guests: host add \(project) \(name) in \(OVNCluster.seconds(since: adding)) s")
                    let reservation = try JSONCodec.parse(added.standardOutput, source: "host add")
                    let ip = try #require(reservation["ip"]?.stringValue.flatMap { IPv4Address($0) }, "\(added.standardOutput)")
                    let xml = try host.vmnet("export", project, "--format", "libvirt-interface", "--host", name).requireSuccess("exporting \(name)").standardOutput
                    let mac = try #require(Self.attribute("address", in: xml))
                    let interfaceID = try #require(Self.attribute("interfaceid", in: xml))
                    #expect(xml.contains("<source bridge='br-int'/>") && xml.contains("<mtu size='1442'/>"), "\(xml)")
                    #expect(interfaceID == "vmnet-\(project)-\(name)")
                    let namespace = try cluster.plugGuest(on: host, interfaceID: interfaceID, mac: mac, name: "\(project)-\(name)")
                    guests.append(namespace)
                    vms.append(VM(project: project, name: name, host: host, ip: ip, mac: mac, interfaceID: interfaceID, namespace: namespace))
                }
            }
            let listed = try h3.vmnet("host", "list", "gp1").requireSuccess("listing gp1's VMs").standardOutput
            #expect(listed.contains("vm-a") && listed.contains("vm-b"), "\(listed)")
            try cluster.waitForSync()

            // Each VM leases its reserved address, OVN's MTU and the project's domain.
            var dnsServer: [String: IPv4Address] = [:]
            for vm in vms {
                let lease = try #require(try Self.lease(in: vm.namespace, sandbox: sandbox), "\(vm.name) of \(vm.project) got no lease")
                #expect(lease.ip == vm.ip && lease.mtu == 1442 && lease.domain == "\(vm.project).vmnet", "\(vm.project)/\(vm.name): \(lease)")
                dnsServer[vm.project] = lease.dns
            }

            // Names across hosts from guests (OVN answers A and PTR), and TCP within a project.
            for project in projects {
                let (a, b) = (vms.first { $0.project == project && $0.name == "vm-a" }!, vms.first { $0.project == project && $0.name == "vm-b" }!)
                let server = try #require(dnsServer[project])
                #expect(try Self.dig(in: a.namespace, "vm-b.\(project).vmnet", server: server, sandbox: sandbox) == b.ip.description)
                #expect(try Self.dig(in: a.namespace, "-x", b.ip.description, server: server, sandbox: sandbox) == "vm-b.\(project).vmnet.")
                try Traffic.startEcho(in: b.namespace, sandbox: sandbox)
                #expect(try Traffic.tcp(from: a.namespace, to: b.ip, sandbox: sandbox), "no TCP from \(project)'s vm-a on h2 to vm-b on h3")
            }

            // No reach between projects, not even through a member host that forwards: gp1's
            // vm-a routes gp2's subnet via h2's own gp1 address.
            let (gp1a, gp2b) = (vms.first { $0.project == "gp1" && $0.name == "vm-a" }!, vms.first { $0.project == "gp2" && $0.name == "vm-b" }!)
            let h2Member = try #require(IPv4Address(try Self.dig(in: gp1a.namespace, "h2.gp1.vmnet", server: dnsServer["gp1"]!, sandbox: sandbox)),
                                       "h2.gp1.vmnet does not resolve")
            #expect(try cluster.ping(from: gp1a.namespace, h2Member), "h2's port on gp1 does not answer ping")
            let forwarding = try h2.run(["sysctl", "-n", "net.ipv4.ip_forward"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            try h2.run(["sysctl", "-qw", "net.ipv4.ip_forward=1"]).requireSuccess("letting h2 forward")
            defer { _ = try? h2.run(["sysctl", "-qw", "net.ipv4.ip_forward=\(forwarding)"]) }
            let gp2Subnet = IPv4Subnet(containing: gp2b.ip, prefixLength: 24)
            try sandbox.run(in: gp1a.namespace, ["ip", "route", "replace", gp2Subnet.description, "via", h2Member.description]).requireSuccess("routing via h2")
            #expect(try !cluster.ping(from: gp1a.namespace, gp2b.ip), "gp1's VM reaches gp2's through h2")
            #expect(try !Traffic.tcp(from: gp1a.namespace, to: gp2b.ip, sandbox: sandbox), "gp1's VM opens TCP to gp2's through h2")
            let ruleset = try h2.run(["nft", "list", "chain", "inet", "vmnet-cluster", "member-forward"]).standardOutput
            #expect(ruleset.contains(#"iifname "vmh-*" drop"#), "\(ruleset)")

            // Every member host resolves the VMs through its own attachment.
            for project in projects {
                let router = try #require(try Self.router(of: project, cluster: cluster))
                for host in [h1, h2, h3] {
                    let answer = try host.run(["dig", "@\(router)", "+short", "+time=2", "+tries=1", "+noedns", "vm-b.\(project).vmnet"]).standardOutput
                    #expect(answer.trimmingCharacters(in: .whitespacesAndNewlines) == vms.first { $0.project == project && $0.name == "vm-b" }!.ip.description,
                            "\(host.name) does not resolve vm-b.\(project).vmnet: \(answer)")
                }
            }

            // down/up on a member removes and restores its attachment; a second up changes nothing.
            let interface = OVNNames.memberInterface(try NetworkName("gp1"))
            try h3.vmnet("down", "gp1").requireSuccess("detaching h3 from gp1")
            #expect(try !h3.run(["ip", "link", "show", interface]).succeeded, "\(interface) stays on h3 after down")
            #expect(try !Self.portExists("vmnet-gp1-host-h3", cluster: cluster), "h3's port stays in NB after down")
            let attaching = ContinuousClock.now
            try h3.vmnet("up", "gp1").requireSuccess("attaching h3 to gp1 again")
            print("cluster guests: up (member attachment) on h3 in \(OVNCluster.seconds(since: attaching)) s")
            #expect(try h3.run(["ip", "-br", "address", "show", interface]).standardOutput.contains("/24"))
            let port = try cluster.nbctl("get", "Logical_Switch_Port", "vmnet-gp1-host-h3", "_uuid").requireSuccess("reading h3's port").standardOutput
            let index = try h3.run(["cat", "/sys/class/net/\(interface)/ifindex"]).standardOutput
            try h3.vmnet("up", "gp1").requireSuccess("attaching h3 to gp1 a second time")
            #expect(try cluster.nbctl("get", "Logical_Switch_Port", "vmnet-gp1-host-h3", "_uuid").standardOutput == port)
            #expect(try h3.run(["cat", "/sys/class/net/\(interface)/ifindex"]).standardOutput == index)

            // host rm takes the port and the names away.
            try h2.vmnet("host", "rm", "gp1", "vm-b").requireSuccess("removing vm-b from gp1")
            #expect(try !Self.portExists("vmnet-gp1-vm-b", cluster: cluster))
            try cluster.waitForSync()
            #expect(try Self.dig(in: gp1a.namespace, "vm-b.gp1.vmnet", server: dnsServer["gp1"]!, sandbox: sandbox) == "")
            #expect(try h2.vmnet("host", "rm", "gp1", "vm-b").status == 3)

            for guest in guests { try cluster.unplugGuest(guest) }
            guests = []
            for project in projects {
                for host in [h2, h3] { try host.vmnet("down", project).requireSuccess("detaching \(host.name) from \(project)") }
                try h1.vmnet("destroy", project).requireSuccess("destroying \(project)")
            }
            for project in projects {
                #expect(try !h2.run(["ip", "link", "show", OVNNames.memberInterface(try NetworkName(project))]).succeeded, "h2 still attached to \(project)")
            }
            #expect(try cluster.nbRowCounts() == before, "NB: \((try? cluster.nbShow()) ?? "")")
        }

        struct NamedLease: CustomStringConvertible {
            let ip: IPv4Address
            let mtu: Int?
            let dns: IPv4Address?
            let domain: String?
            var description: String { "ip \(ip) mtu \(mtu.map(String.init) ?? "-") dns \(dns?.description ?? "-") domain \(domain ?? "-")" }
        }

        /// busybox udhcpc with a script that also keeps the lease's DNS server and domain, and
        /// sets the lease's MTU as a full DHCP client would.
        static func lease(in namespace: String, sandbox: Sandbox) throws -> NamedLease? {
            let script = sandbox.directory + "/udhcpc-named.sh", output = sandbox.directory + "/lease-named-\(namespace)"
            if !FileSystem.exists(script) {
                try FileSystem.writeAtomically("""
                    #!/bin/sh
                    case "$1" in
                    bound|renew)
                        ip address flush dev "$interface"
                        ip address add "$ip/${mask:-24}" dev "$interface"
                        [ -n "$mtu" ] && ip link set dev "$interface" mtu "$mtu"
                        printf 'ip=%s\\nmtu=%s\\ndns=%s\\ndomain=%s\\n' "$ip" "$mtu" "$dns" "$domain" > "$VMNET_LEASE_OUT"
                        ;;
                    esac
                    exit 0

                    """, to: script, mode: 0o755)
            }
            FileSystem.remove(output)
            let result = try sandbox.run(in: namespace, ["busybox", "udhcpc", "-i", "eth0", "-s", script, "-q", "-f", "-n", "-t", "5", "-T", "1"],
                                         environment: ["VMNET_LEASE_OUT": output])
            guard result.succeeded, let text = FileSystem.readIfPresent(output) else { return nil }
            var fields: [String: String] = [:]
            for line in text.split(separator: "\n") {
                if let equals = line.firstIndex(of: "=") { fields[String(line[..<equals])] = String(line[line.index(after: equals)...]) }
            }
            guard let ip = fields["ip"].flatMap({ IPv4Address($0) }) else { return nil }
            return NamedLease(ip: ip, mtu: fields["mtu"].flatMap { Int($0) }, dns: fields["dns"].flatMap { IPv4Address(String($0.split(separator: " ").first ?? "")) },
                              domain: fields["domain"].flatMap { $0.isEmpty ? nil : $0 })
        }

        /// dig's short answer (first line), "" when nothing answered. Without EDNS: OVN 23.03
        /// passes a query with an OPT record on instead of answering it (glibc's resolver and
        /// busybox send none).
        static func dig(in namespace: String, _ query: String..., server: IPv4Address, sandbox: Sandbox) throws -> String {
            let output = try sandbox.run(in: namespace, ["dig", "@\(server)", "+short", "+time=2", "+tries=1", "+noedns"] + query).standardOutput
            // A name OVN does not know goes on to the router, which refuses it: dig then prints
            // ";; communications error …" where the answer would be.
            return output.split(separator: "\n").first { !$0.hasPrefix(";") }.map(String.init) ?? ""
        }

        static func attribute(_ name: String, in xml: String) -> String? {
            guard let start = xml.range(of: "\(name)='") else { return nil }
            return xml[start.upperBound...].split(separator: "'").first.map(String.init)
        }

        static func router(of project: String, cluster: OVNCluster) throws -> String? {
            let networks = try cluster.nbctl("get", "Logical_Router_Port", "vmnet-\(project)-lrp", "networks").requireSuccess("reading \(project)'s router").standardOutput
            return networks.split(whereSeparator: { "[]\", \n".contains($0) }).first.map { String($0.split(separator: "/")[0]) }
        }

        static func portExists(_ port: String, cluster: OVNCluster) throws -> Bool {
            try cluster.nbctl("--bare", "--columns=name", "find", "Logical_Switch_Port", "name=\(port)").standardOutput.contains(port)
        }
    }
}
