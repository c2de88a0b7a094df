/// The one error type vmnet reports. Messages read "doing what, on what: why", followed by
/// the fix when one is known; the code decides the exit status.
public struct VmnetError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Int32, Sendable {
        /// Something failed on the host (a program, a file, the kernel).
        case failed = 1
        /// The input is wrong: a name, an address, a profile, an option.
        case invalidInput = 2
        /// The named network, profile or host does not exist.
        case notFound = 3
        /// The request collides with something that exists (a subnet, a name, a bridge).
        case conflict = 4
        /// No free subnet is left in the pools.
        case exhausted = 5
        /// A program vmnet needs is not installed, or vmnet is not run as root.
        case missingDependency = 6
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var exitStatus: Int32 { code.rawValue }
    public var description: String { message }

    public static func invalid(_ message: String) -> VmnetError { VmnetError(.invalidInput, message) }
    public static func notFound(_ message: String) -> VmnetError { VmnetError(.notFound, message) }
    public static func conflict(_ message: String) -> VmnetError { VmnetError(.conflict, message) }
    public static func failed(_ message: String) -> VmnetError { VmnetError(.failed, message) }

    /// The same error with what was being done in front ("doing: message"); its code, the
    /// exit status, is kept: a conflict stays a conflict however many layers add context.
    public func context(_ doing: String) -> VmnetError { VmnetError(code, "\(doing): \(message)") }

    /// The same error with the fix after it ("message: fix"), its code kept.
    public func fix(_ fix: String) -> VmnetError { VmnetError(code, "\(message): \(fix)") }
}
