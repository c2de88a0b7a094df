import JSON

/// The hook files vmnet puts in podman's hooks directory (oci-hooks 1.0.0 format): one per
/// stage, each running `vmnet container-hook STAGE` for every container. A hook runs with
/// exactly the environment the file gives it, so vmnet's own directories and PATH go in it.
public enum OCIHookFile {
    public static let stages = ["createRuntime", "poststop"]

    public static func fileName(stage: String) -> String { "vmnet-\(stage).json" }

    public static func render(executable: String, stage: String, environment: [String: String]) -> String {
        let variables = ["PATH": environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
            .merging(environment.filter { $0.key.hasPrefix("VMNET_") }) { first, _ in first }
        let hook: JSONValue = .object([
            "version": "1.0.0",
            "hook": .object([
                // Through sh: a hook whose program is gone (vmnet removed, a build deleted) would
                // make runc fail every container; this one then does nothing.
                "path": "/bin/sh",
                "args": JSONValue(["sh", "-c", #"[ -x "$0" ] || exit 0; exec "$0" container-hook "$1""#, executable, stage]),
                "env": JSONValue(variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }),
                // podman kills a hook after this many seconds; vmnet's own wait for its lock is shorter.
                "timeout": 20,
            ]),
            "when": .object(["always": true]),
            "stages": JSONValue([stage]),
        ])
        return JSONCodec.serialize(hook) + "\n"
    }
}
