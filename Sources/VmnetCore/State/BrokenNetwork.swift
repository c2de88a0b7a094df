import JSON

/// A network whose record cannot be read. It is listed with the reason, and `destroy` removes
/// what can be found of it; every other network keeps working.
public struct BrokenNetwork: Hashable, Sendable {
    public let name: NetworkName
    /// The reader's one-line error: `FILE:LINE: key: problem`.
    public let problem: String
    /// The bridge the damaged file still names, when it parses as JSON at all.
    public let recordedBridge: String?

    public init(name: NetworkName, problem: String, recordedBridge: String?) {
        self.name = name
        self.problem = problem
        self.recordedBridge = recordedBridge
    }

    /// The bridges it may have had, most likely first: the recorded one, else the names
    /// `BridgeNamer` derives that no readable record uses. The caller deletes only one that
    /// exists and carries vmnet's keeper port (or was recorded).
    public func candidateBridges(takenByOthers taken: Set<String>) -> [String] {
        if let recordedBridge { return [recordedBridge] }
        let plain = BridgeNamer.bridgeName(for: name, taken: [])
        let hashed = BridgeNamer.bridgeName(for: name, taken: [plain])
        return [plain, hashed].filter { !taken.contains($0) }
    }

    /// The bridge to delete, given the interfaces present: the first candidate that exists and
    /// is vmnet's (it was recorded, or it carries the keeper port derived from its name).
    public func bridge(present: Set<String>, takenByOthers taken: Set<String>) -> String? {
        candidateBridges(takenByOthers: taken).first { bridge in
            present.contains(bridge) && (bridge == recordedBridge || present.contains(BridgeNamer.keeperPort(for: bridge).port))
        }
    }

    /// Deleting that bridge and its keeper pair (deleting one end of a veth deletes both).
    public func tearDown(bridge: String, present: Set<String>) -> [LinkOperation] {
        let links = [bridge, BridgeNamer.keeperPort(for: bridge).port].filter(present.contains)
        guard !links.isEmpty else { return [] }
        return links.map { .setGroup(name: $0, group: LinkPlanner.deletionGroup) } + [.deleteGroup(LinkPlanner.deletionGroup)]
    }

    public static let state = "broken"

    public var json: JSONValue {
        .object(["name": .string(name.value), "state": .string(BrokenNetwork.state), "problem": .string(problem), "bridge": JSONValue(recordedBridge)])
    }

    public var tableRow: [String] { [name.value, "-", "-", "-", recordedBridge ?? "-", BrokenNetwork.state, "-", "-"] }
}
