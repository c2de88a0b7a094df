/// What a container runtime asks a CNI plugin to do (`CNI_COMMAND`).
public enum CNICommand: String, Sendable {
    case add = "ADD"
    case delete = "DEL"
    case check = "CHECK"
    case version = "VERSION"
}
