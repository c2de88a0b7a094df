/// Why a daemon shared by a suite could not start, thrown to every test that needs it (a
/// rethrown expectation failure would count as already recorded, and later tests would pass).
struct DaemonUnavailable: Error, CustomStringConvertible {
    let description: String

    /// Starts a shared daemon once, keeping why it failed as the error every later caller gets.
    static func starting<Daemon>(_ what: String, _ start: () throws -> Daemon) -> Result<Daemon, DaemonUnavailable> {
        Result { () throws(DaemonUnavailable) -> Daemon in
            do { return try start() } catch { throw DaemonUnavailable(description: "\(what) for the tests did not start: \(error)") }
        }
    }
}
