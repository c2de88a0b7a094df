/// What an existing network holds beside its record: the parts a project file also declares.
public struct ProjectNetworkState: Sendable {
    public var reservations: [HostReservation]
    public var forwards: [PortForward]
    public var runtimes: [RuntimeKind]

    public init(reservations: [HostReservation] = [], forwards: [PortForward] = [], runtimes: [RuntimeKind] = []) {
        self.reservations = reservations
        self.forwards = forwards
        self.runtimes = runtimes
    }
}
