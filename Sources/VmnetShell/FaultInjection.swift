import Glibc
import VmnetCore

/// The test hook behind `FaultPoint`: kills vmnet where `VMNET_FAULT` says.
public enum FaultInjection {
    public static func reach(_ point: FaultPoint) {
        guard let wanted = getenv("VMNET_FAULT"), String(cString: wanted) == point.rawValue else { return }
        raise(SIGKILL)
    }
}
