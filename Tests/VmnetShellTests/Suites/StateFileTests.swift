import Glibc
import Testing
@testable import VmnetShell
import VmnetCore

/// The one strict reader of vmnet's state files.
struct StateFileTests {
    let root: String = {
        var template = Array("/tmp/vmnet-state-file-test.XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }()

    func decodeNumber(_ text: String) throws(VmnetError) -> Int {
        guard let number = Int(text) else { throw .invalid("reading the number: '\(text)' is none") }
        return number
    }

    @Test func aMissingFileIsNilAndAReadableOneIsDecoded() throws {
        defer { FileSystem.removeTree(root) }
        #expect(try StateFile.read(root + "/absent", decodeNumber) == nil)
        try FileSystem.writeAtomically("42", to: root + "/number")
        #expect(try StateFile.read(root + "/number", decodeNumber) == 42)
    }

    @Test func aFileThatCannotBeReadOrDecodedIsAnErrorWithItsFix() throws {
        defer { FileSystem.removeTree(root) }
        try FileSystem.makeDirectories(root + "/directory")
        #expect(throws: VmnetError.failed("reading \(root)/directory: it is a directory: remove it")) {
            try StateFile.read(root + "/directory", decodeNumber)
        }
        try FileSystem.writeAtomically("many", to: root + "/number")
        // The decoder's code stays (bad input is not a host failure); the fix comes after it.
        #expect(throws: VmnetError.invalid("reading the number: 'many' is none: \(StateFile.restore)")) {
            try StateFile.read(root + "/number", fix: StateFile.restore, decodeNumber)
        }
    }
}
