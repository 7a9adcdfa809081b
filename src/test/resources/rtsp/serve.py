#!/usr/bin/python3
"""A loopback RTSP server for the live-source tests: serves an MP4's H.264 track, in real time, to each client.

usage: serve.py PORT FILE [MOUNT]   (prints "ready rtsp://127.0.0.1:PORT/MOUNT" once it listens; runs until killed)
Each client gets its own pipeline from the start of the file (not shared), so a reconnect replays it.
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    port, path = sys.argv[1], sys.argv[2]
    mount = sys.argv[3] if len(sys.argv) > 3 else "stream"
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    # no re-encoding: the file's H.264 is packetised as it is, paced by its timestamps
    factory.set_launch(
        "( filesrc location=\"%s\" ! qtdemux ! h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 )"
        % path.replace('"', '\\"'))
    factory.set_shared(False)
    server.get_mount_points().add_factory("/" + mount, factory)
    if server.attach(None) == 0:
        print("cannot listen on 127.0.0.1:%s" % port, file=sys.stderr, flush=True)
        sys.exit(1)
    print("ready rtsp://127.0.0.1:%s/%s" % (port, mount), flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
