/// Which networks `vmnet up --all` (what the unit runs at boot) raises: those whose autostart
/// is on, whether or not the user took them down since (a `down` keeps the setting, as
/// libvirt's autostart does). Networks with autostart off are left as they are, up or down;
/// `vmnet up NAME` raises any network, and `down --all` takes every network down.
public enum AutostartSelection {
    public static func raisedByUpAll(_ records: [NetworkRecord]) -> [NetworkRecord] {
        records.filter(\.autostart)
    }
}
