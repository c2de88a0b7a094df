/// What `vmnet init` writes: a small project file that applies as it is, its `description`
/// keys standing in for the comments JSON lacks.
public enum ProjectExample {
    public static func text(project: String) -> String {
        """
        {
          "version": 1,
          "project": "\(project)",
          "description": "Networks of this project. 'vmnet plan' shows what 'vmnet apply' would change; the keys are in vmnet's README, 'A project file'.",
          "networks": {
            "dev": {
              "description": "NAT: guests reach the internet and each other; the host's port 8080 goes to web's port 80.",
              "profile": "nat",
              "hosts": {"web": {}},
              "forwards": [{"port": 8080, "target": "web", "target_port": 80}]
            },
            "sandbox": {
              "description": "Untrusted guests: only DHCP, DNS and ping on the host, nothing on the LAN, the internet yes.",
              "profile": "sandbox"
            }
          }
        }

        """
    }

    /// How long a name `init` takes (from --name or the directory) may be: short enough to leave
    /// room for the network keys in `PROJECT-NET`.
    public static let maximumNameLength = 20

    /// A project name from a directory's name: lower case, other characters as '-', at most
    /// `maximumNameLength` characters; "project" when nothing is left.
    public static func projectName(directory: String) -> String {
        let base = directory.split(separator: "/").last.map(String.init) ?? ""
        var name = String(base.lowercased().map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? $0 : "-" }.prefix(maximumNameLength))
        while name.hasPrefix("-") { name.removeFirst() }
        while name.hasSuffix("-") { name.removeLast() }
        return name.isEmpty ? "project" : name
    }
}
