import Testing
import VmnetCore
import VmnetShell

/// `Revert`: undo steps run explicitly, newest first, and an undo that fails is named in the
/// one-line error. Pure: no root, no namespace.
struct RevertTests {
    @Test func failRunsTheStepsNewestFirstAndNamesTheOnesThatFailed() {
        var order: [String] = []
        let revert = Revert()
        revert.add("deleting vmn-a") { () throws(VmnetError) in
            order.append("links")
            throw .failed("deleting link vmn-a: Operation not permitted")
        }
        revert.add("stopping dnsmasq") { () throws(VmnetError) in order.append("dnsmasq") }
        let error = revert.fail(.failed("applying nft rules: exit 1"))
        #expect(order == ["dnsmasq", "links"])
        #expect(error.message == "applying nft rules: exit 1; undoing: deleting vmn-a: deleting link vmn-a: Operation not permitted")
        #expect(error.code == .failed)
        // Run once: a second fail finds nothing left.
        #expect(revert.fail(.failed("again")).message == "again")
    }

    @Test func successForgetsTheStepsAndRunUndoesOnlyOnFailure() throws {
        var undone = 0
        let value = try Revert.run { (revert) throws(VmnetError) -> Int in
            revert.add("counting") { () throws(VmnetError) in undone += 1 }
            return 7
        }
        #expect(value == 7 && undone == 0)
        #expect(throws: VmnetError.failed("boom")) {
            try Revert.run { (revert) throws(VmnetError) in
                revert.add("counting") { () throws(VmnetError) in undone += 1 }
                throw VmnetError.failed("boom")
            }
        }
        #expect(undone == 1)
    }
}
