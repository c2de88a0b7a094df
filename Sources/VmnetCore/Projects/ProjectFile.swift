/// A project file (`vmnet.json`): a project's networks, checked in beside its code.
public struct ProjectFile: Sendable {
    public static let currentVersion = 1
    public static let defaultName = "vmnet.json"

    public var project: String
    /// The file's absolute path: what owns the networks an apply makes.
    public var path: String
    public var networks: [ProjectNetwork]

    public init(project: String, path: String, networks: [ProjectNetwork]) {
        self.project = project
        self.path = path
        self.networks = networks
    }

    public var owner: ProjectOwner { ProjectOwner(project: project, file: path) }

    /// `PROJECT-NET`, the network's name on the host.
    public static func networkName(project: String, network: String) -> String { "\(project)-\(network)" }
}
