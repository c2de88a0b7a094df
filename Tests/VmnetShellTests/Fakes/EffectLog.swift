import Glibc
import VmnetCore

/// The fake host the recording fakes share: the effects in order, the links and processes
/// they made, and the effect that is made to fail.
final class EffectLog: @unchecked Sendable {
    private(set) var effects: [String] = []
    var interfaces: Set<String> = ["lo"]
    var groups: [String: Int] = [:]
    var peers: [String: String] = [:]
    var processes: [pid_t: [String]] = [:]
    var nextPid: pid_t = 4000
    /// The number of the effect (1-based, counting every effect) that fails.
    var failAt: Int?
    /// Effects whose label starts with one of these fail, every time (a failing undo).
    var alwaysFailing: [String] = []

    /// Called with each effect before it is recorded: a test looks at the state there.
    var watch: ((String) -> Void)?

    /// Records an effect; throws when it is the one made to fail.
    func perform(_ label: String) throws(VmnetError) {
        watch?(label)
        effects.append(label)
        if effects.count == failAt || alwaysFailing.contains(where: label.hasPrefix) {
            throw .failed("\(label): injected failure")
        }
    }

    func index(of prefix: String) -> Int? { effects.firstIndex { $0.hasPrefix(prefix) } }
}
