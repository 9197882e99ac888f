#!/usr/bin/python3
"""A recording stand-in for systemd-resolved's org.freedesktop.resolve1.Manager.

Owns org.freedesktop.resolve1 on the bus named by DBUS_SYSTEM_BUS_ADDRESS (a private
dbus-daemon the test started), answers the four per-link methods wgx-quick calls, and appends
one line per call to LOG:

    SetLinkDNS IFINDEX FAMILY:ADDRESS...
    SetLinkDomains IFINDEX DOMAIN:routing|search...
    SetLinkDefaultRoute IFINDEX true|false
    RevertLink IFINDEX

A method named in $RESOLVE1_STUB_FAIL is still recorded, then answered with an error. Touches
nothing but LOG; `ready` is written next to LOG once the name is owned.

Usage: resolve1_stub.py LOG
"""
import ipaddress
import os
import socket
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

MANAGER = "org.freedesktop.resolve1.Manager"


class Manager(dbus.service.Object):
    def __init__(self, bus, log):
        super().__init__(bus, "/org/freedesktop/resolve1")
        self.log = log
        self.failing = set(os.environ.get("RESOLVE1_STUB_FAIL", "").split())

    def record(self, method, words):
        with open(self.log, "a") as f:
            f.write(" ".join([method] + words) + "\n")
        if method in self.failing:
            raise dbus.exceptions.DBusException(
                "stub told to fail " + method, name="org.freedesktop.DBus.Error.Failed")

    @dbus.service.method(MANAGER, in_signature="ia(iay)", out_signature="")
    def SetLinkDNS(self, ifindex, addresses):
        words = [str(int(ifindex))]
        for family, raw in addresses:
            packed = bytes(int(b) for b in raw)
            kind = {socket.AF_INET: 4, socket.AF_INET6: 16}.get(int(family))
            text = str(ipaddress.ip_address(packed)) if kind == len(packed) else packed.hex()
            words.append("%d:%s" % (int(family), text))
        self.record("SetLinkDNS", words)

    @dbus.service.method(MANAGER, in_signature="ia(sb)", out_signature="")
    def SetLinkDomains(self, ifindex, domains):
        words = [str(int(ifindex))]
        for name, routing_only in domains:
            words.append("%s:%s" % (name, "routing" if routing_only else "search"))
        self.record("SetLinkDomains", words)

    @dbus.service.method(MANAGER, in_signature="ib", out_signature="")
    def SetLinkDefaultRoute(self, ifindex, enable):
        self.record("SetLinkDefaultRoute", [str(int(ifindex)), "true" if enable else "false"])

    @dbus.service.method(MANAGER, in_signature="i", out_signature="")
    def RevertLink(self, ifindex):
        self.record("RevertLink", [str(int(ifindex))])


def main():
    log = sys.argv[1]
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(os.environ["DBUS_SYSTEM_BUS_ADDRESS"])
    name = dbus.service.BusName("org.freedesktop.resolve1", bus, do_not_queue=True)
    manager = Manager(bus, log)
    open(os.path.join(os.path.dirname(log), "ready"), "w").close()
    loop = GLib.MainLoop()
    # Bounded: a stub left behind by a killed test ends by itself.
    GLib.timeout_add_seconds(int(os.environ.get("RESOLVE1_STUB_SECONDS", "240")), loop.quit)
    loop.run()
    del name, manager


if __name__ == "__main__":
    main()
