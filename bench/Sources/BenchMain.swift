import Glibc
import JSON
import VmnetCore
import VmnetShell

/// vmnet's benchmark: run by bench/run inside a namespace of its own. Prints a table and
/// writes the figures as JSON.
@main
enum BenchMain {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            defer { arguments.removeSubrange(index...(index + 1)) }
            return arguments[index + 1]
        }
        let namespace = option("--namespace") ?? "vmnet-bench"
        let output = option("--out") ?? "bench/results/latest.json"
        let repeats = Int(option("--repeat") ?? "") ?? 9
        let counts = (option("--networks") ?? "25,50,100,250").split(separator: ",").compactMap { Int($0) }
        let clusterOnly = arguments.contains("--cluster-only")
        let projectOnly = arguments.contains("--project-only")
        guard let vmnet = option("--vmnet"), let script = option("--script") else {
            StandardError.write("usage: vmnet-bench --vmnet PATH --script PATH [--namespace NS] [--out FILE] [--repeat N] [--networks 25,50,100,250] [--cluster-only | --project-only]\n")
            exit(2)
        }
        do {
            if clusterOnly {
                let figures = try clusterFigures(vmnet: vmnet, repeats: repeats)
                try write(figures, to: output)
                print(table(figures), terminator: "")
                return
            }
            let host = try BenchHost(namespace: namespace, vmnetBinary: vmnet, script: script)
            defer { host.cleanUp() }
            if projectOnly {
                let figures = try report(Scenarios(host: host, repeats: repeats, createOptions: []).projectApply(10))
                try write(figures, to: output)
                print(table(figures), terminator: "")
                return
            }
            // libvirtd starts and its networks are defined before anything is timed.
            let daemon = try LibvirtDaemon(runner: host.runner, directory: host.directory + "/libvirt")
            defer { daemon.stop() }
            let libvirt = LibvirtScenarios(host: host, daemon: daemon, repeats: repeats)
            try libvirt.define(counts)
            let scenarios = Scenarios(host: host, repeats: repeats, createOptions: ["--no-ipv6"])
            var figures: [Figure] = []
            figures += try report(scenarios.oneNetworkUp())
            for count in counts { figures += try report(scenarios.manyNetworks(count)) }
            figures += report(Figure.growth(figures, counts: counts))
            figures += try report(scenarios.allocationWithManyRoutes())
            figures += try report(scenarios.firstLease())
            figures += try report(scenarios.projectApply(10))
            // The same scenarios with the default dual-stack networks, on the most networks up
            // to 50 only (the larger runs take as long as all the rest).
            let dualStack = Scenarios(host: host, repeats: repeats, createOptions: [])
            var ipv6Figures = try report(dualStack.oneNetworkUp())
            if let count = counts.filter({ $0 <= 50 }).max() { ipv6Figures += try report(dualStack.manyNetworks(count)) }
            ipv6Figures += try report(dualStack.firstLease())
            figures = Figure.mergingIPv6(ipv6Figures, into: figures)
            let libvirtFigures = try libvirt.run(counts)
            for index in figures.indices { figures[index].libvirt = libvirtFigures[figures[index].name] }
            figures += try clusterFigures(vmnet: vmnet, repeats: repeats)
            try write(figures, to: output)
            print(table(figures), terminator: "")
            let failed = figures.filter { !$0.passed }
            print(failed.isEmpty ? "all targets met" : "targets missed: \(failed.map(\.name).joined(separator: "; "))")
            let beaten = figures.filter { figure in figure.libvirt.map { $0 < figure.vmnet } ?? false }
            print(beaten.isEmpty ? "vmnet beats libvirt in every row" : "libvirt is faster in: \(beaten.map(\.name).joined(separator: "; "))")
        } catch {
            StandardError.write("vmnet-bench: \(error)\n")
            exit(1)
        }
    }

    /// The cluster rows, on a lab of three OVS/OVN hosts started for them and torn down after.
    static func clusterFigures(vmnet: String, repeats: Int) throws -> [Figure] {
        let cluster = try ClusterScenarios.start(vmnetBinary: vmnet, repeats: repeats)
        defer { cluster.stop() }
        return try report(cluster.createAndDestroy()) + report(cluster.leaseAndRoundTrips())
    }

    static func report(_ figures: [Figure]) -> [Figure] {
        for figure in figures { StandardError.write("  \(figure.name): \(Figure.format(figure.vmnet)) \(figure.unit)\n") }
        return figures
    }

    static func table(_ figures: [Figure]) -> String {
        var table = TextTable(headers: ["MEASURE", "VMNET", "VMNET IPV6 ON", "FLOOR", "VMNET/FLOOR", "ORIGINAL SCRIPT", "RATIO", "LIBVIRT", "RATIO", "TARGET", "MET"])
        for figure in figures {
            func cell(_ value: Double?) -> String { value.map { "\(Figure.format($0)) \(figure.unit)" } ?? "-" }
            table.append([figure.name, cell(figure.vmnet), cell(figure.vmnetIPv6), cell(figure.floor), figure.floorRatio, cell(figure.baseline), figure.ratio(figure.baseline),
                          cell(figure.libvirt), figure.ratio(figure.libvirt), figure.target, figure.passed ? "yes" : "NO"])
        }
        return table.render()
    }

    static func write(_ figures: [Figure], to path: String) throws {
        try FileSystem.makeDirectories(FileSystem.parent(of: path))
        let document: JSONValue = .object([
            "date": .string(Timestamp.now()),
            "machine": .string("\(sysconf(Int32(_SC_NPROCESSORS_ONLN))) cores"),
            "figures": .array(figures.map(\.json)),
        ])
        try FileSystem.writeAtomically(JSONCodec.serialize(document), to: path)
    }
}
