import Testing
import VmnetCore

/// Context added to an error keeps its code, the exit status.
struct ErrorContextTests {
    @Test func contextAndFixKeepTheCode() {
        let refused = VmnetError.conflict("10.0.0.1 is the network's gateway")
        let told = refused.context("registering container 'web'").fix("start it with another --ip")
        #expect(told.code == .conflict)
        #expect(told.message == "registering container 'web': 10.0.0.1 is the network's gateway: start it with another --ip")
        #expect(VmnetError(.missingDependency, "nft not found").context("applying rules").exitStatus == 6)
    }
}
