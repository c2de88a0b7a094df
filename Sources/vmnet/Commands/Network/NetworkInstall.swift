import ArgumentParser
import VmnetCore
import VmnetShell

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
        let context = Context()
        let name = try NetworkName(name)
        // A name with no local record may be a cluster network (asked in NB only on a member).
        if !FileSystem.exists(context.paths.recordFile(of: name)), case let cluster = try context.cluster(), cluster.isMember {
            for line in try cluster.installRuntimes(name, kinds: runtimes.kinds) { Output.text(line) }
            return
        }
        for line in try context.controller.install(name, kinds: runtimes.kinds) { Output.text(line) }
    }
}
