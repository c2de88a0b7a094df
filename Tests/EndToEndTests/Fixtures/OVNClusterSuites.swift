import Testing
import VmnetSandbox

/// The parent of every suite that uses the shared OVN cluster. Its tests run one at a time
/// (`.serialized` reaches nested suites): they share one northbound database, and checks such
/// as "destroy leaves NB as it found it" compare whole-database row counts.
@Suite("OVN cluster", .serialized, .enabled(if: OVNCluster.enabled))
enum OVNClusterSuites {}
