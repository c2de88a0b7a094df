import JSON
import VmnetCore

/// The vmnet binary run by a container runtime as the CNI plugin `vmnet-ovn`: reads the
/// request, does it through `ClusterController`, and answers as CNI wants: the result (ADD)
/// or nothing on standard output and status 0, or an error object on standard output and a
/// non-zero status.
public enum CNIPlugin {
    public static func run(environment: [String: String], netconf: String, executablePath: String) -> (output: String, status: Int32) {
        var version = CNINetworkConfig.writtenVersion
        do throws(VmnetError) {
            let request = try CNIRequest(environment: environment, netconf: netconf)
            version = request.cniVersion
            guard let config = request.config else { return (JSONCodec.serialize(CNIResult.versions(version)), 0) }
            // The runtime's environment is not vmnet's: the conflist says where vmnet keeps its
            // state and membership on this host.
            var vmnetEnvironment = environment
            vmnetEnvironment[Paths.Directory.state.rawValue] = config.stateDirectory
            vmnetEnvironment[Paths.Directory.config.rawValue] = config.configDirectory
            let controller = try ClusterController(paths: Paths(environment: vmnetEnvironment, executablePath: executablePath),
                                                   environment: vmnetEnvironment,
                                                   warnings: Warnings(report: { StandardError.write("vmnet-ovn: warning: \($0)\n") }))
            switch request.command {
            case .add: return (JSONCodec.serialize(try controller.addContainer(request, config: config)), 0)
            case .delete: try controller.deleteContainer(request, config: config)
            case .check: try controller.checkContainer(request, config: config)
            case .version: break
            }
            return ("", 0)
        } catch {
            return (JSONCodec.serialize(CNIResult.error(error, version: version)), error.exitStatus)
        }
    }
}
