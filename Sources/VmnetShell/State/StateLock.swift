import VmnetCore

/// The state lock held by a changing command, with its journal: `record` writes what the
/// command is about to do, `release` removes it when the command returns (with or without an
/// error: its own undo ran). Only a killed command leaves the journal behind, and a journal
/// recovery could not finish stays for the next command unless this one wrote its own.
public final class StateLock {
    private let lock: FileLock
    let journal: IntentJournal
    private var wroteJournal = false

    init(_ lock: FileLock, journal: IntentJournal) {
        self.lock = lock
        self.journal = journal
    }

    /// `required: false` for `up`, `down` and `destroy`, which must work on a full disk: without
    /// a journal a killed one is still finished by the next `up`/`down`/`destroy` of the network.
    public func record(_ intent: Intent, required: Bool = true) throws(VmnetError) {
        do {
            try journal.write(intent)
            wroteJournal = true
        } catch {
            if required { throw error.context("recording what '\(intent.command.rawValue)' is about to do") }
        }
        FaultInjection.reach(.journalWritten)
    }

    public func release() {
        if wroteJournal { journal.remove() }
        withExtendedLifetime(lock) {}
    }
}
