import JSON

/// Everything `vmnet apply` would change for one project file; empty when the host already is
/// what the file says.
public struct ProjectPlan: Sendable {
    public var file: ProjectFile
    public var steps: [ProjectStep]

    public init(file: ProjectFile, steps: [ProjectStep]) {
        self.file = file
        self.steps = steps
    }

    public var isEmpty: Bool { steps.isEmpty }

    /// `plan`'s table: what, which network, and the detail.
    public var table: String {
        var table = TextTable(headers: ["ACTION", "NETWORK", "DETAIL"])
        for step in steps { table.append([step.action, step.network.value, step.detail]) }
        return table.render()
    }

    /// `plan --json`: the file, the project, and each change as action, network and detail.
    public var json: JSONValue {
        let changes = steps.map { (step) -> JSONValue in
            .object(["action": .string(step.action), "network": .string(step.network.value), "detail": .string(step.detail)])
        }
        return .object(["file": .string(file.path), "project": .string(file.project), "changes": .array(changes)])
    }
}
