// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vmnet",
    products: [
        .executable(name: "vmnet", targets: ["vmnet"]),
        .executable(name: "vmnet-bench", targets: ["vmnet-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // libjansson, reached only through the JSON module.
        .systemLibrary(
            name: "CJansson",
            pkgConfig: "jansson",
            providers: [.apt(["libjansson-dev"])]
        ),
        .target(name: "JSON", dependencies: ["CJansson"]),
        // The few Linux calls Swift's Glibc module does not expose.
        .target(name: "CLinuxShims"),
        // Pure: addresses, allocation, profiles, planning, renderers. No I/O.
        .target(name: "VmnetCore", dependencies: ["JSON"]),
        // Effects: processes, files, locks, netlink tools, firewall, dnsmasq.
        .target(name: "VmnetShell", dependencies: ["VmnetCore", "JSON", "CLinuxShims"]),
        // The namespace sandbox of `vmnet selftest`, the end-to-end tests and the benchmark;
        // kept out of VmnetShell so production code cannot reach it.
        .target(name: "VmnetSandbox", dependencies: ["VmnetCore", "VmnetShell", "JSON"]),
        .executableTarget(
            name: "vmnet",
            dependencies: [
                "VmnetCore", "VmnetShell", "VmnetSandbox", "JSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildInfoPlugin"]
        ),
        // BuildInfo.swift for `vmnet --version`: VERSION and the git revision.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        // The benchmark harness (bench/run); not part of the test suite.
        .executableTarget(
            name: "vmnet-bench",
            dependencies: ["VmnetCore", "VmnetShell", "VmnetSandbox", "JSON"],
            path: "bench/Sources"
        ),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(
            name: "VmnetCoreTests",
            dependencies: ["VmnetCore", "JSON"],
            exclude: ["Golden"]
        ),
        // The controller on recording fakes: order of effects and undo, without root.
        .testTarget(name: "VmnetShellTests", dependencies: ["VmnetShell", "VmnetCore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["VmnetShell", "VmnetSandbox", "VmnetCore", "JSON"]),
    ]
)
