import Glibc
import JSON
import Testing
import VmnetCore
import VmnetShell

@Suite("Container names through vmnet's OCI hook, end to end", .serialized, .enabled(if: EndToEnd.enabled))
struct ContainerNameTests {
    init() throws {
        let missing = ["podman", "nsenter", "tar", "dig"].filter { ExecutableLocator.find($0) == nil }
        try #require(missing.isEmpty, "missing programs: \(missing.joined(separator: ", ")); run scripts/install-deps --test")
    }

    @Test func netavarkContainersAreNamedInTheNetworksDNS() throws {
        try checkNames(backend: "netavark", install: "--podman", directoryVariable: "VMNET_PODMAN_DIR")
    }

    @Test func cniContainersAreNamedInTheNetworksDNS() throws {
        try checkNames(backend: "cni", install: "--cni", directoryVariable: "VMNET_CNI_DIR")
    }

    /// web1 and web2 resolve from a DHCP client (forward and reverse) once started and not
    /// after they stop; `leases` lists them as containers; a container named like a
    /// reservation leaves the name to the reservation; the gateway's address is refused.
    private func checkNames(backend: String, install flag: String, directoryVariable: String) throws {
        let world = try VmnetWorld("c" + String(backend.prefix(1)))
        let networkDirectory = world.sandbox.directory + "/\(backend)-networks"
        let hooks = try #require(world.environment["VMNET_HOOKS_DIR"])
        let environment = [directoryVariable: networkDirectory, "VMNET_HOOKS_DIR": hooks]
        let name = "names"
        try world.ok("create", name)
        let reservation = try JSONCodec.parse(try world.ok("host", "add", name, "db", "--json").standardOutput, source: "host add")
        let reserved = try #require(reservation["ip"]?.stringValue.flatMap { IPv4Address($0) })
        let installed = try world.vmnet(["install", name, flag], environment: environment)
        #expect(installed.succeeded, "\(installed.standardError)")
        #expect(FileSystem.list(hooks).sorted() == ["vmnet-createRuntime.json", "vmnet-poststop.json"])
        let gateway = try world.gateway(name)
        let (client, _) = try world.leasedClient(on: name, hostname: "vm")
        let podman = try PodmanHarness(world: world, backend: backend, networkDirectory: networkDirectory, hooksDirectory: hooks)

        func start(_ container: String, _ options: [String] = []) throws -> ProcessResult {
            try podman.podman(["run", "-d", "--name", container, "--network", name, "--dns", gateway.description] + options
                              + ["localhost/vmnet-bb", "sleep", "120"])
        }
        func address(of container: String) throws -> IPv4Address? {
            let shown = try podman.podman(["exec", container, "ip", "-4", "-o", "address", "show", "eth0"]).standardOutput
            return shown.split(separator: " ").first { $0.contains("/") }.flatMap { IPv4Address($0.split(separator: "/")[0]) }
        }
        /// Polls for up to five seconds: the hook has answered before `podman run -d` returns,
        /// and dnsmasq re-reads its lists on SIGHUP (measured: the first query answers). How
        /// fast is a benchmark's question; a loaded CI machine must not fail this test.
        func resolved(_ host: String) throws -> IPv4Address? {
            for _ in 0..<50 {
                if let answer = try world.sandbox.resolve(from: client, host, server: gateway) { return answer }
                usleep(100_000)
            }
            return nil
        }
        defer { _ = try? podman.podman(["rm", "-f", "-t", "0", "web1", "web2", "db"]) }
        func lists() -> String {
            let state = world.stateDirectory + "/networks/\(name)/"
            return ["containers.json", "container-hosts", "container-dhcp-hosts"].map { "\($0): \(FileSystem.readIfPresent(state + $0) ?? "missing")" }.joined(separator: "; ")
        }

        for container in ["web1", "web2"] {
            let started = try start(container)
            #expect(started.succeeded, "\(started.standardError)")
            let ip = try #require(try address(of: container))
            let answer = try resolved("\(container).\(name).vmnet")
            #expect(answer == ip, "\(container) at \(ip) resolved to \(String(describing: answer)); \(lists())")
            let reverse = try world.sandbox.run(in: client, ["dig", "+short", "-x", ip.description, "@\(gateway)"]).standardOutput
            #expect(reverse.contains("\(container).\(name).vmnet"), "reverse of \(ip): \(reverse)")
        }

        // A container's name is a forward target too.
        let web1 = try #require(try address(of: "web1"))
        try world.ok("forward", "add", name, "18080/tcp", "web1:80")
        let forwarded = try JSONCodec.parse(try world.ok("forward", "list", name, "--json").standardOutput, source: "forward list").arrayValue ?? []
        #expect(forwarded.first?["target"]?.stringValue == "web1" && forwarded.first?["target_ip"]?.stringValue == web1.description, "\(forwarded)")
        try world.ok("forward", "rm", name, "18080/tcp")

        let dbStarted = try start("db")
        #expect(dbStarted.succeeded, "\(dbStarted.standardError)")
        let dbAnswer = try resolved("db.\(name).vmnet")
        let dbAddress = try address(of: "db")
        #expect(dbAnswer == reserved, "db resolved to \(String(describing: dbAnswer)), container has \(String(describing: dbAddress)); hosts: \(FileSystem.readIfPresent(world.stateDirectory + "/networks/\(name)/container-hosts") ?? "") \(FileSystem.readIfPresent(world.stateDirectory + "/networks/\(name)/addn-hosts") ?? "")")

        let entries = try JSONCodec.parse(try world.ok("leases", name, "--json").standardOutput, source: "leases").arrayValue ?? []
        let containers = entries.filter { $0["source"]?.stringValue == "container" }
        #expect(Set(containers.compactMap { $0["hostname"]?.stringValue }) == ["web1", "web2"], "leases: \(entries)")
        #expect(containers.allSatisfy { $0["mac"]?.stringValue != nil }, "leases: \(entries)")
        let db = containers.first { $0["requested_name"]?.stringValue == "db" }
        #expect(db?["hostname"] == .null && db?["note"]?.stringValue == LeaseEntry.takenByReservation, "leases: \(entries)")

        let refused = try start("gw", ["--ip", gateway.description])
        #expect(!refused.succeeded)
        if backend == "netavark" {
            // netavark 1.4 hands out any address of the subnet; the hook is what refuses it.
            #expect(refused.standardError.contains("is the network's gateway"), "\(refused.standardError)")
        }
        _ = try podman.podman(["rm", "-f", "-t", "0", "gw"])

        // Containers on no vmnet network start as before, and vmnet records nothing for them.
        let unnetworked = try podman.podman(["run", "--rm", "--name", "loner", "--network", "none", "localhost/vmnet-bb", "true"])
        #expect(unnetworked.succeeded, "\(unnetworked.standardError)")
        if backend == "netavark" {
            try podman.podman(["network", "create", "--subnet", "10.199.0.0/24", "foreign"]).requireSuccess("creating a podman network")
            let foreign = try podman.podman(["run", "--rm", "--name", "stranger", "--network", "foreign", "localhost/vmnet-bb", "true"])
            #expect(foreign.succeeded, "\(foreign.standardError)")
            _ = try podman.podman(["network", "rm", "-f", "foreign"])
        }
        let registered = FileSystem.readIfPresent(world.stateDirectory + "/networks/\(name)/containers.json") ?? ""
        #expect(!registered.contains("loner") && !registered.contains("stranger"))

        try podman.podman(["rm", "-f", "-t", "0", "web1"]).requireSuccess("removing web1")
        #expect(try world.sandbox.resolve(from: client, "web1.\(name).vmnet", server: gateway) == nil)
        #expect(try resolved("web2.\(name).vmnet") != nil)
        // A reservation made while web2 runs takes the name from it.
        let later = try JSONCodec.parse(try world.ok("host", "add", name, "web2", "--json").standardOutput, source: "host add")
        #expect(try resolved("web2.\(name).vmnet") == later["ip"]?.stringValue.flatMap { IPv4Address($0) })
        try podman.podman(["rm", "-f", "-t", "0", "web2", "db"]).requireSuccess("removing web2 and db")
        let after = try JSONCodec.parse(try world.ok("leases", name, "--json").standardOutput, source: "leases").arrayValue ?? []
        #expect(!after.contains { $0["source"]?.stringValue == "container" }, "leases: \(after)")

        // A container whose poststop never ran (podman killed, a reboot): `reload` (and `up`)
        // drop its name once its process is gone.
        let state = world.stateDirectory + "/networks/\(name)"
        try FileSystem.writeAtomically(#"[{"id": "ghost", "name": "ghost", "mac": "02:00:00:00:00:99", "ip": "\#(reserved)", "pid": 999999999}]"#,
                                       to: state + "/containers.json")
        try FileSystem.writeAtomically("\(reserved) ghost.\(name).vmnet ghost\n", to: state + "/container-hosts")
        let dnsmasq = try #require(try world.network(name)["dnsmasq_pid"]?.intValue)
        kill(pid_t(dnsmasq), SIGHUP)
        let ghost = try resolved("ghost.\(name).vmnet")
        #expect(ghost == reserved, "ghost resolved to \(String(describing: ghost)), dnsmasq \(dnsmasq); \(lists())")
        try world.ok("reload", name)
        #expect(try world.sandbox.resolve(from: client, "ghost.\(name).vmnet", server: gateway) == nil)

        try world.vmnet(["destroy", name], environment: environment).requireSuccess("destroy")
        #expect(FileSystem.list(hooks).isEmpty, "hook left behind: \(FileSystem.list(hooks))")
    }
}
