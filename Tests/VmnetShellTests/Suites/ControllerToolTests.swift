import Glibc
import Testing
@testable import VmnetShell
import VmnetCore

/// What the controller needs from the host, and how long it waits for it.
struct ControllerToolTests {
    static let name = try! NetworkName("lab")

    /// Links go over rtnetlink: only choosing a subnet reads routes with `ip`, and a create
    /// without it says so (exit status 6) before changing anything.
    @Test func allocationNamesTheMissingIpProgram() throws {
        let world = ControllerWorld(missingPrograms: ["ip"])
        do {
            _ = try world.controller.create(CreateRequest(name: Self.name), start: false)
            Issue.record("create without ip succeeded")
        } catch {
            #expect(error.code == .missingDependency && error.message.contains("ip"), "\(error.message)")
        }
        #expect(world.log.effects.isEmpty)
    }

    /// Stopping dnsmasq waits while one still runs, not 400 rounds after all have exited.
    @Test func stoppingDnsmasqStopsPollingOnceItExited() throws {
        var template = Array("/tmp/vmnet-shell-test.XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        defer { FileSystem.removeTree(directory) }
        let files = DnsmasqFiles(runDirectory: directory, stateDirectory: directory)
        try FileSystem.writeAtomically("4242\n", to: files.pidFile)
        let processes = CountingProcesses(pid: 4242, arguments: ["dnsmasq", "--conf-file=\(files.config)"])
        DnsmasqSupervisor(runner: FakeRunner(log: EffectLog()), processes: processes).stop([files])
        #expect(processes.checks.value < 10, "\(processes.checks.value) checks of /proc")
    }
}

/// One process that exits on SIGTERM; counts how often it is looked at.
final class CountingProcesses: ProcessLookup, @unchecked Sendable {
    let pid: pid_t
    let arguments: [String]
    var alive = true
    let checks = Counter()

    init(pid: pid_t, arguments: [String]) {
        self.pid = pid
        self.arguments = arguments
    }

    func pids() -> [pid_t] { alive ? [pid] : [] }
    func arguments(of pid: pid_t) -> [String]? { alive && pid == self.pid ? arguments : nil }
    func isRunning(_ pid: pid_t) -> Bool {
        checks.value += 1
        return alive && pid == self.pid
    }
    func signal(_ pid: pid_t, _ signal: Int32) -> Bool {
        if signal != SIGHUP { alive = false }
        return true
    }
}

final class Counter: @unchecked Sendable { var value = 0 }
