#!/usr/bin/env python3
"""
A userspace link emulator for Confab's network-fault rig.

The kernels these tests run on may lack sch_netem (tc's "Specified qdisc kind is unknown"), so
delay, loss and a UDP blackhole are applied here instead, to real IP packets: this process opens a
TUN device in the root network namespace and another inside the test host's namespace, and
forwards every packet between the two, each direction with its own impairment. The browser, the
kernels' TCP/UDP stacks and the server are untouched and real; only the wire is emulated.

    link_emulator.py <netns> <root-tun-name> <ns-tun-name>

Prints "ready" once both devices exist (the caller then gives them addresses and routes with
`ip`). Reads JSON commands on stdin, one per line, and answers each with one JSON line:
    {"up": {"delay_ms": 100, "loss_pct": 5, "udp_blackhole": false}, "down": {...}}
    {"stats": true}
"up" is the test host's upload (namespace to root), "down" its download. Exits when stdin closes;
the TUN devices go with it.

Standard library only (ctypes for setns, which Python 3.11's os module lacks).
"""
import ctypes
import fcntl
import heapq
import json
import os
import random
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def enter_netns(name):
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), f"setns({name}) failed")
    os.close(fd)


def is_udp(packet):
    version = packet[0] >> 4
    if version == 4:
        return len(packet) >= 20 and packet[9] == 17
    if version == 6:
        return len(packet) >= 40 and packet[6] == 17
    return False


def main():
    netns, root_name, ns_name = sys.argv[1:4]
    root_fd = open_tun(root_name)
    enter_netns(netns)
    ns_fd = open_tun(ns_name)

    impairment = {d: {"delay_ms": 0.0, "loss_pct": 0.0, "udp_blackhole": False} for d in ("up", "down")}
    counters = {d: {"forwarded": 0, "lost": 0, "blackholed": 0} for d in ("up", "down")}
    queue = []  # (due, seq, out_fd, packet): constant delay keeps the order
    seq = 0
    stdin_fd = sys.stdin.fileno()
    pending = b""
    print("ready", flush=True)

    while True:
        now = time.monotonic()
        timeout = max(0.0, queue[0][0] - now) if queue else 1.0
        readable, _, _ = select.select([root_fd, ns_fd, stdin_fd], [], [], timeout)
        now = time.monotonic()
        for fd in readable:
            if fd == stdin_fd:
                chunk = os.read(stdin_fd, 65536)
                if not chunk:
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    command = json.loads(line)
                    for direction in ("up", "down"):
                        impairment[direction].update(command.get(direction, {}))
                    print(json.dumps({"impairment": impairment, "counters": counters}), flush=True)
                continue
            direction = "up" if fd == ns_fd else "down"
            out_fd = root_fd if fd == ns_fd else ns_fd
            rule = impairment[direction]
            count = counters[direction]
            while True:
                try:
                    packet = os.read(fd, 65535)
                except BlockingIOError:
                    break
                if rule["udp_blackhole"] and is_udp(packet):
                    count["blackholed"] += 1
                    continue
                if rule["loss_pct"] and random.random() * 100 < rule["loss_pct"]:
                    count["lost"] += 1
                    continue
                count["forwarded"] += 1
                if rule["delay_ms"] <= 0:
                    try:
                        os.write(out_fd, packet)
                    except OSError:
                        pass
                else:
                    seq += 1
                    heapq.heappush(queue, (now + rule["delay_ms"] / 1000, seq, out_fd, packet))
        while queue and queue[0][0] <= now:
            _, _, out_fd, packet = heapq.heappop(queue)
            try:
                os.write(out_fd, packet)
            except OSError:
                pass  # the device went down (re-addressing): the packet is lost, as on a real link


if __name__ == "__main__":
    main()
