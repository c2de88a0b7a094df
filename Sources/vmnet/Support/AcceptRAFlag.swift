import ArgumentParser

/// `--fix-accept-ra`, of the commands that may turn IPv6 forwarding on.
struct AcceptRAFlag: ParsableArguments {
    @Flag(name: .customLong("fix-accept-ra"),
          help: "Set accept_ra=2 on the interfaces that take their IPv6 default route from router advertisements, so turning IPv6 forwarding on does not take it away (without it, vmnet refuses).")
    var fix = false
}
