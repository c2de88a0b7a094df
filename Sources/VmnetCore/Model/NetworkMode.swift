/// Whether a network reaches the outside through NAT or stays between host and guests.
public enum NetworkMode: String, CaseIterable, Sendable {
    case nat
    case hostOnly = "host-only"
}
