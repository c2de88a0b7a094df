import ArgumentParser
import VmnetCore

struct NetworkInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Put a network's configuration where runtimes read it.",
        discussion: "vmnet records what it installed; 'vmnet uninstall' and 'vmnet destroy' remove exactly that. Installing again rewrites the same files.")

    @Argument(help: "Network name.")
    var name: String

    @OptionGroup var runtimes: RuntimeFlags

    func validate() throws {
        if runtimes.kinds.isEmpty { throw ValidationError("choose at least one of --podman, --cni, --libvirt") }
    }

    func run() throws {
        for line in try Context().controller.install(try NetworkName(name), kinds: runtimes.kinds) { Output.text(line) }
    }
}
