import CLinuxShims
import Glibc
import VmnetCore

/// Runs programs with posix_spawn, feeding standard input and collecting both outputs.
/// Every descriptor it opens is close-on-exec, so a daemon started by one call (dnsmasq)
/// never holds another call's pipes open.
public struct SpawnRunner: CommandRunner {
    public init() {}

    public func run(_ arguments: [String], input: String?) throws(VmnetError) -> ProcessResult {
        finish(try start(arguments), input: input)
    }

    /// Starts the commands and returns while they run: a daemon such as dnsmasq spends most
    /// of its start-up waiting, so fifty of them start in little more time than one. At most
    /// 64 run at once (three pipes each stay within the descriptor limit): earlier chunks are
    /// waited for here, the last one by the caller.
    public func start(_ commands: [[String]]) throws(VmnetError) -> RunningCommands {
        var finished: [ProcessResult] = []
        var chunkStart = 0
        while true {
            var started: [Started] = []
            for command in commands[chunkStart..<min(commands.count, chunkStart + 64)] {
                do {
                    started.append(try start(command))
                } catch {
                    for process in started { _ = finish(process, input: nil) }
                    throw error
                }
            }
            chunkStart += 64
            if chunkStart >= commands.count {
                let done = finished, running = started
                return RunningCommands { done + running.map { finish($0, input: nil) } }
            }
            finished += started.map { finish($0, input: nil) }
        }
    }

    private struct Started: Sendable {
        let arguments: [String]
        let pid: pid_t
        let stdin: Int32
        let stdout: Int32
        let stderr: Int32
    }

    private func start(_ arguments: [String]) throws(VmnetError) -> Started {
        precondition(!arguments.isEmpty)
        let program = try ExecutableLocator.require(arguments[0])
        var inputPipe: [Int32] = [-1, -1], outputPipe: [Int32] = [-1, -1], errorPipe: [Int32] = [-1, -1]
        guard vmnet_pipe_cloexec(&inputPipe) == 0, vmnet_pipe_cloexec(&outputPipe) == 0, vmnet_pipe_cloexec(&errorPipe) == 0 else {
            throw .failed("running \(arguments[0]): cannot create pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child must not inherit a blocked SIGPIPE/SIGCHLD mask or ignored signals.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        close(inputPipe[0])
        close(outputPipe[1])
        close(errorPipe[1])
        guard spawned == 0 else {
            close(inputPipe[1]); close(outputPipe[0]); close(errorPipe[0])
            throw .failed("running \(program): \(String(cString: strerror(spawned)))")
        }
        return Started(arguments: arguments, pid: pid, stdin: inputPipe[1], stdout: outputPipe[0], stderr: errorPipe[0])
    }

    private func finish(_ process: Started, input: String?) -> ProcessResult {
        let (output, errors) = exchange(input: Array((input ?? "").utf8), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr)
        var status: Int32 = 0
        while waitpid(process.pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ProcessResult(
            arguments: process.arguments, status: exitStatus,
            standardOutput: String(decoding: output, as: UTF8.self), standardError: String(decoding: errors, as: UTF8.self))
    }

    /// Writes the input and drains both outputs together, so neither side can block on a full pipe.
    private func exchange(input: [UInt8], stdin: Int32, stdout: Int32, stderr: Int32) -> ([UInt8], [UInt8]) {
        var output: [UInt8] = [], errors: [UInt8] = []
        var written = 0
        var writer = stdin
        if input.isEmpty { close(writer); writer = -1 } else { _ = fcntl(writer, F_SETFL, O_NONBLOCK) }
        var readers = [stdout, stderr]
        var buffer = [UInt8](repeating: 0, count: 65536)
        signal(SIGPIPE, SIG_IGN)
        while !readers.isEmpty || writer >= 0 {
            var polls = readers.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if writer >= 0 { polls.append(pollfd(fd: writer, events: Int16(POLLOUT), revents: 0)) }
            if poll(&polls, nfds_t(polls.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in polls where entry.revents != 0 {
                if entry.fd == writer {
                    let count = input.withUnsafeBytes { Glibc.write(writer, $0.baseAddress! + written, input.count - written) }
                    if count > 0 { written += count }
                    if count < 0 && errno != EAGAIN && errno != EINTR || written == input.count {
                        close(writer)
                        writer = -1
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    if entry.fd == stdout { output += buffer[0..<count] } else { errors += buffer[0..<count] }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(entry.fd)
                    readers.removeAll { $0 == entry.fd }
                }
            }
        }
        return (output, errors)
    }
}
