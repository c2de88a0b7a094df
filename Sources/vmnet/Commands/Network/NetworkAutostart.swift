import ArgumentParser
import VmnetCore

struct NetworkAutostart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autostart",
        abstract: "Choose whether 'vmnet up --all' (the unit at boot) brings a network up.",
        discussion: "Changes only the setting: the network stays up or down as it is. 'vmnet down' keeps it, as libvirt's autostart does.")

    @Argument(help: "Network name.")
    var name: String

    @Argument(help: "on or off.")
    var value: String

    func run() throws {
        let networkName = try NetworkName(name)
        let on: Bool
        switch value {
        case "on": on = true
        case "off": on = false
        default: throw VmnetError.invalid("setting the autostart of '\(name)': '\(value)' is not a setting: use on or off")
        }
        let word = on ? "on" : "off"
        switch try Context().controller.setAutostart(networkName, on: on) {
        case .changed: Output.text("autostart of \(networkName) is \(word)")
        case .unchanged: Output.text("autostart of \(networkName) is already \(word)")
        }
    }
}
