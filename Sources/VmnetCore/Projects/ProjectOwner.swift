/// The project file that made a network with `vmnet apply`: only an apply of that same file
/// changes or removes it; a network without one was made by hand.
public struct ProjectOwner: Hashable, Sendable, CustomStringConvertible {
    /// The project's name, as the file's `project` key says it.
    public var project: String
    /// The file's absolute path.
    public var file: String

    public init(project: String, file: String) {
        self.project = project
        self.file = file
    }

    public var description: String { "project '\(project)' (\(file))" }
}
