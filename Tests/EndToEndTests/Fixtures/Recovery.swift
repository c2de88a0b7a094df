import Glibc
import VmnetCore
import VmnetSandbox
import VmnetShell

/// How long a guest waits for working traffic after a trigger: new TCP flows to each target,
/// tried every 50 ms with a 200 ms connect timeout.
enum Recovery {
    static let probe = """
        import socket, sys, time
        deadline, port, targets = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
        start = time.monotonic()
        def works(address):
            try:
                s = socket.create_connection((address, port), timeout=0.2)
                s.settimeout(1)
                s.sendall(b"vmnet")
                return s.recv(100) == b"vmnet"
            except OSError:
                return False
        while not all(works(t) for t in targets):
            if time.monotonic() - start > deadline:
                sys.exit(1)
            time.sleep(0.05)
        print("%.3f" % (time.monotonic() - start))
        """

    /// Seconds from the call until every target answered, nil when they did not within `deadline`.
    static func seconds(from guest: String, to targets: [IPv4Address], sandbox: Sandbox, deadline: Double = 5) throws -> Double? {
        let script = try Traffic.file("recovery-probe.py", probe, sandbox)
        let started = now()
        let result = try sandbox.run(in: guest, [Traffic.python, script, "\(deadline)", "\(Traffic.port)"] + targets.map(\.description))
        return result.succeeded ? now() - started : nil
    }

    /// Seconds from `start` (now by default) until `check` holds, tried every 50 ms up to 5 s
    /// after `start`; nil when it never does.
    static func seconds(since start: Double = now(), until check: () throws -> Bool) rethrows -> Double? {
        while now() - start < 5 {
            if try check() { return now() - start }
            usleep(50_000)
        }
        return nil
    }

    /// The monotonic clock, in seconds.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
