import Glibc
import VmnetCore

/// The test hook behind `FaultPoint`: kills vmnet where `VMNET_FAULT` says.
public enum FaultInjection {
    public static func reach(_ point: FaultPoint) {
        guard let wanted = getenv("VMNET_FAULT"), String(cString: wanted) == point.rawValue else { return }
        raise(SIGKILL)
    }

    /// The `write.NAME` points, reached by `FileSystem.writeAtomically` before its rename.
    static func reachWrite(of path: String) {
        guard let wanted = getenv("VMNET_FAULT"), String(cString: wanted) == "write." + FileSystem.baseName(path) else { return }
        raise(SIGKILL)
    }
}
