import VmnetCore

/// Reads a project file from disk: its text, parsed strictly, and its absolute path, which
/// owns the networks an apply makes.
public enum ProjectFileLoader {
    public static func load(_ path: String?) throws(VmnetError) -> ProjectFile {
        let given = path ?? ProjectFile.defaultName
        guard let text = try FileSystem.readUnlessMissing(given) else {
            throw VmnetError(.notFound, "reading \(given): no such file: write one with 'vmnet init', or name it with -f FILE")
        }
        guard let absolute = FileSystem.realPath(given) else { throw .failed("reading \(given): cannot resolve its absolute path") }
        return try ProjectFileParser.parse(text: text, file: given, path: absolute)
    }
}
