import VmnetCore

/// Puts vmnet's container hook where podman reads hooks (`VMNET_HOOKS_DIR` moves it), and
/// takes it away when no installed network needs it any more.
public struct OCIHookInstaller: Sendable {
    public let directory: String
    let environment: [String: String]
    let executable: String

    public init(environment: [String: String], executable: String = ProcessEnvironment.executablePath()) {
        directory = Paths.Directory.ociHooks.path(in: environment)
        self.environment = environment
        self.executable = executable
    }

    private func file(_ stage: String) -> String { directory + "/" + OCIHookFile.fileName(stage: stage) }

    /// Returns a line to report when a file was written or changed.
    public func install() throws(VmnetError) -> String? {
        try FileSystem.makeDirectories(directory)
        var changed = false
        for stage in OCIHookFile.stages {
            let text = OCIHookFile.render(executable: executable, stage: stage, environment: environment)
            if FileSystem.readIfPresent(file(stage)) != text {
                try FileSystem.writeAtomically(text, to: file(stage))
                changed = true
            }
        }
        return changed ? "hook: wrote \(file(OCIHookFile.stages[0])) and \(file(OCIHookFile.stages[1])); containers get NAME.NET.vmnet" : nil
    }

    /// Removes the files when `stillNeeded` is false; returns a line when it removed any.
    public func uninstall(stillNeeded: Bool) -> String? {
        guard !stillNeeded else { return nil }
        let present = OCIHookFile.stages.map(file).filter(FileSystem.exists)
        guard !present.isEmpty else { return nil }
        for path in present { FileSystem.remove(path) }
        return "hook: removed \(present.joined(separator: " and ")); no installed network needs it"
    }
}
