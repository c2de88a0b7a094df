import Foundation
import PackagePlugin

/// Writes BuildInfo.swift (the version from VERSION and the git revision of the checkout)
/// into the target before every build, so `vmnet --version` names the source it was built
/// from while a plain `swift build` needs no script and leaves the tree clean.
///
/// A prebuild command, not a build command: git's state is no file SwiftPM could list as
/// an input. The script replaces the file only when its text changes, so an unchanged
/// revision recompiles nothing.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo")
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        return [
            .prebuildCommand(
                displayName: "Writing BuildInfo.swift (version and git revision)",
                executable: URL(filePath: "/bin/sh"),
                arguments: ["-c", BuildInfoPlugin.script, "build-info",
                            context.package.directoryURL.path(percentEncoded: false),
                            output.path(percentEncoded: false)],
                environment: environment,
                outputFilesDirectory: output
            ),
        ]
    }

    /// $1 the package root, $2 the output directory. The revision is "unknown" outside a
    /// git checkout (a source tarball) and ends in "-dirty" when tracked files differ from
    /// it. safe.directory: root may build a checkout that another user owns.
    static let script = #"""
        set -eu
        root=$1 out=$2
        version=$(tr -d ' \n' < "$root/VERSION")
        case "$version" in
            ''|*[!0-9A-Za-z.+~-]*) echo "VERSION: '$version' is not a Debian-style version" >&2; exit 1 ;;
        esac
        revision=unknown
        repo() { git -c safe.directory='*' -C "$root" "$@"; }
        if command -v git >/dev/null 2>&1 && top=$(repo rev-parse --show-toplevel 2>/dev/null) \
            && [ "$(cd "$top" && pwd -P)" = "$(cd "$root" && pwd -P)" ]; then
            revision=$(repo rev-parse --short=12 HEAD)
            if [ -n "$(repo --no-optional-locks status --porcelain --untracked-files=no)" ]; then
                revision="$revision-dirty"
            fi
        fi
        mkdir -p "$out"
        tmp="$out/.BuildInfo.swift.$$"
        cat > "$tmp" <<SWIFT
        // Written by the BuildInfo plugin before each build; not in the source tree.
        enum BuildInfo {
            static let version = "$version"
            static let revision = "$revision"
        }
        SWIFT
        if cmp -s "$tmp" "$out/BuildInfo.swift"; then rm -f "$tmp"; else mv "$tmp" "$out/BuildInfo.swift"; fi
        """#
}
