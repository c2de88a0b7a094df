import Glibc
import Testing
import VmnetCore
import VmnetSandbox
import VmnetShell

/// TCP and UDP checks between namespaces: ufw lets ICMP echo through where it drops other
/// traffic, so ping alone proves nothing. An echo server answers both on one port.
enum Traffic {
    static let port = 7077
    static let python = "/usr/bin/python3"

    static let server = """
        import socket, sys, threading
        port = int(sys.argv[1])
        def tcp():
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", port))
            s.listen(64)
            while True:
                c, _ = s.accept()
                c.settimeout(2)
                try:
                    c.sendall(c.recv(100))
                except OSError:
                    pass
                c.close()
        threading.Thread(target=tcp, daemon=True).start()
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("0.0.0.0", port))
        while True:
            data, peer = u.recvfrom(100)
            u.sendto(data, peer)
        """

    static let client = """
        import socket, sys
        kind, address, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
        try:
            if kind == "tcp":
                s = socket.create_connection((address, port), timeout=2)
                s.sendall(b"vmnet")
                ok = s.recv(100) == b"vmnet"
            else:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(1)
                ok = False
                for _ in range(2):
                    s.sendto(b"vmnet", (address, port))
                    try:
                        ok = s.recvfrom(100)[0] == b"vmnet"
                        break
                    except socket.timeout:
                        pass
        except OSError:
            ok = False
        sys.exit(0 if ok else 1)
        """

    /// Starts the echo server in `namespace` and waits until it listens.
    static func startEcho(in namespace: String, sandbox: Sandbox, port: Int = Traffic.port) throws {
        try #require(FileSystem.exists(python), "\(python) is missing: run scripts/install-deps --test")
        let script = try file("echo-server.py", server, sandbox)
        try sandbox.run(in: namespace, ["sh", "-c", "\(python) \(script) \(port) </dev/null >/dev/null 2>&1 &"]).requireSuccess("starting the echo server")
        for _ in 0..<50 {
            let listening = try sandbox.run(in: namespace, ["ss", "-Hltn", "sport = :\(port)"]).standardOutput
            if !listening.isEmpty { return }
            usleep(100_000)
        }
        Issue.record("the echo server in \(namespace) does not listen")
    }

    static func tcp(from namespace: String, to address: IPv4Address, sandbox: Sandbox, port: Int = Traffic.port) throws -> Bool {
        try run("tcp", from: namespace, to: address, sandbox: sandbox, port: port)
    }

    static func udp(from namespace: String, to address: IPv4Address, sandbox: Sandbox, port: Int = Traffic.port) throws -> Bool {
        try run("udp", from: namespace, to: address, sandbox: sandbox, port: port)
    }

    private static func run(_ kind: String, from namespace: String, to address: IPv4Address, sandbox: Sandbox, port: Int) throws -> Bool {
        let script = try file("echo-client.py", client, sandbox)
        return try sandbox.run(in: namespace, [python, script, kind, address.description, "\(port)"]).succeeded
    }

    /// A script written once into the sandbox's directory; its path.
    static func file(_ name: String, _ text: String, _ sandbox: Sandbox) throws -> String {
        let path = sandbox.directory + "/" + name
        if !FileSystem.exists(path) { try FileSystem.writeAtomically(text, to: path, mode: 0o644) }
        return path
    }
}
