import ArgumentParser

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the profiles networks are created from, or show one.",
        discussion: "Shipped profiles are overridden by files of the same name in $VMNET_CONFIG_DIR/profiles (default /etc/vmnet/profiles).",
        subcommands: [ProfilesList.self, ProfilesShow.self],
        defaultSubcommand: ProfilesList.self)
}
