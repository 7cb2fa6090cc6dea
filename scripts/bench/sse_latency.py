#!/usr/bin/env python3
"""Subscriber of ./jobstate bench events: follows GET /api/events/stream for a given time and prints
RESULT events=... p50_ms=... p99_ms=... max_ms=... -- the time from each event's database time ("at",
taken in the transition's own transaction) to its arrival here, on the same machine's clock.

Written by hand because neither curl nor Python's standard library time-stamps SSE lines; the
parsing is the two lines of the format the service sends (id:, data:)."""
import http.client
import json
import sys
import time
from datetime import datetime

host, port, after, token, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
connection = http.client.HTTPConnection(host, port, timeout=30)
connection.request("GET", "/api/events/stream?after=" + after,
                   headers={"Authorization": "Bearer " + token, "Accept": "text/event-stream"})
response = connection.getresponse()
if response.status != 200:
    sys.exit("stream answered %d: %s" % (response.status, response.read()[:300]))
print("READY", flush=True)
latencies = []
deadline = time.time() + seconds
while time.time() < deadline:
    line = response.readline()
    if not line:
        break
    if line.startswith(b"data:"):
        arrived = time.time()
        at = datetime.fromisoformat(json.loads(line[5:])["at"]).timestamp()
        latencies.append((arrived - at) * 1000)
connection.close()
if not latencies:
    sys.exit("no events arrived")
latencies.sort()


def percentile(p):
    return latencies[min(len(latencies) - 1, max(0, int(p / 100 * len(latencies) + 0.999999) - 1))]


print("RESULT events=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f" % (len(latencies), percentile(50), percentile(99), latencies[-1]))
