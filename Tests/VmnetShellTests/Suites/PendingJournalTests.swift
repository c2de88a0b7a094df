import Testing
@testable import VmnetShell
import VmnetCore

/// A journal a killed command left: the reading commands name it (unless a command that holds
/// the lock is writing it), and the next changing command sweeps the journal's own temporary
/// file, which is all a command killed while writing the journal leaves.
struct PendingJournalTests {
    let world = ControllerWorld()
    var journal: IntentJournal { IntentJournal(paths: world.controller.paths) }

    @Test func noJournalIsNoNews() {
        #expect(world.controller.pendingRecovery() == nil)
    }

    @Test func aKilledCommandsJournalIsNamed() throws {
        try journal.write(Intent(.up, networks: [try NetworkName("web")]))
        #expect(world.controller.pendingRecovery()?.hasPrefix("a killed 'vmnet up' of web is pending: the next vmnet command finishes it") == true)
    }

    @Test func theJournalOfACommandStillRunningIsNotNamed() throws {
        let lock = try FileLock(path: world.controller.paths.lockFile)
        try journal.write(Intent(.down, networks: nil))
        #expect(world.controller.pendingRecovery() == nil)
        withExtendedLifetime(lock) {}
    }

    @Test func anUnreadableJournalIsNamedToo() throws {
        try FileSystem.writeAtomically("{ half", to: journal.path)
        #expect(world.controller.pendingRecovery()?.contains("left a journal that cannot be read") == true)
    }

    @Test func theJournalsTemporaryFileIsSweptWithoutAJournal() throws {
        let temporary = FileSystem.parent(of: journal.path) + "/." + Intent.fileName + ".4242.tmp"
        let unrelated = FileSystem.parent(of: journal.path) + "/ula.json"
        try FileSystem.writeAtomically("{ half", to: temporary)
        world.controller.recover(journal)
        #expect(!FileSystem.exists(temporary))
        #expect(FileSystem.exists(unrelated))
        #expect(world.controller.pendingRecovery() == nil)
    }
}
