extension LibvirtXML {
    /// A domain interface on a cluster network: libvirt plugs the VM's tap into br-int and
    /// sets `external_ids:iface-id` to the interfaceid, which binds it to the VM's logical
    /// port; the MAC must be the port's (port security drops any other).
    public static func clusterInterface(_ guest: ClusterGuest, mtu: Int) -> String {
        """
        <interface type='bridge'>
          <mac address='\(guest.mac)'/>
          <source bridge='\(OVNNames.integrationBridge)'/>
          <virtualport type='openvswitch'>
            <parameters interfaceid='\(guest.port)'/>
          </virtualport>
          <model type='virtio'/>
          <mtu size='\(mtu)'/>
        </interface>

        """
    }
}
