#!/usr/bin/env python3
"""A Chamberlain defense process in Python (stdlib only), spoken to over JSON lines.

Run by the worker's `external` defense process (see ExternalProtocol.java for the protocol):
one JSON request per line on stdin, one JSON response per line on stdout, logs on stderr.

What it does, per SVID: keeps running statistics (Welford) of the context mean and range,
learned over the first --warmup contexts, then
  * MEAN_SHIFT (ALARM)     if |mean - learned mean| > --k learned standard deviations,
  * RANGE_EXCEEDED (WARN)  if range > learned range mean + --k standard deviations.
Flagged values are not learned. The statistics travel in the response's "state" and come back
with the next request for the same chamber, so this program keeps no memory of its own and a
chamber that moves to another worker continues with its history.

With "tracePath" instead of "indicators" it reads the trace file itself (format: TraceCodec.java,
little-endian header "CHTR", float32 columns).
"""
import argparse
import array
import json
import math
import struct
import sys
import zlib

HEADER = struct.Struct("<4sHHiiddI")  # magic, version, flags, svidCount, samples, hz, contextSeconds, crc


def read_trace(path):
    """Per-SVID (mean, range) from a trace file."""
    with open(path, "rb") as f:
        data = f.read()
    magic, version, flags, svids, samples, _hz, _seconds, crc = HEADER.unpack_from(data)
    if magic != b"CHTR" or version != 1:
        raise ValueError(f"{path}: not a version-1 CHTR trace")
    payload = data[HEADER.size:HEADER.size + 4 * svids * samples]
    # with flags bit 0 a step table follows the payload; the checksum covers it too
    if len(payload) != 4 * svids * samples or zlib.crc32(data[HEADER.size:]) != crc:
        raise ValueError(f"{path}: length or checksum mismatch")
    values = array.array("f")
    values.frombytes(payload)
    if sys.byteorder != "little":
        values.byteswap()
    stats = []
    for s in range(svids):
        column = values[s * samples:(s + 1) * samples]
        stats.append((math.fsum(column) / samples, max(column) - min(column)))
    return stats


class Running:
    """Welford mean/variance, as a JSON-friendly list [n, mean, m2]."""

    @staticmethod
    def add(stat, x):
        n, mean, m2 = stat
        n += 1
        delta = x - mean
        mean += delta / n
        return [n, mean, m2 + delta * (x - mean)]

    @staticmethod
    def sd(stat):
        """Sample standard deviation: with a short warm-up the population one is too small."""
        n, _mean, m2 = stat
        return math.sqrt(m2 / (n - 1)) if n > 1 else 0.0


def judge(request, state, warmup, k):
    if "indicators" in request:
        ind = request["indicators"]
        per_svid = list(zip(ind["mean"], ind["range"]))
    else:
        per_svid = read_trace(request["tracePath"])
    if state is None or len(state["mean"]) != len(per_svid):
        state = {"n": 0, "mean": [[0, 0.0, 0.0]] * len(per_svid), "range": [[0, 0.0, 0.0]] * len(per_svid)}
    violations = []
    warm = state["n"] >= warmup
    for svid, (mean, rng) in enumerate(per_svid):
        m_stat, r_stat = state["mean"][svid], state["range"][svid]
        flagged = False
        if warm:
            m_sd = max(Running.sd(m_stat), 1e-9 * max(1.0, abs(m_stat[1])))
            r_sd = max(Running.sd(r_stat), 1e-9 * max(1.0, abs(r_stat[1])))
            if abs(mean - m_stat[1]) > k * m_sd:
                violations.append({"rule": "MEAN_SHIFT", "severity": "ALARM", "svid": svid,
                                   "indicator": "mean", "value": mean})
                flagged = True
            if rng > r_stat[1] + k * r_sd:
                violations.append({"rule": "RANGE_EXCEEDED", "severity": "WARN", "svid": svid,
                                   "indicator": "range", "value": rng})
                flagged = True
        if not flagged:
            state["mean"][svid] = Running.add(m_stat, mean)
            state["range"][svid] = Running.add(r_stat, rng)
    state["n"] += 1
    severities = {v["severity"] for v in violations}
    status = "ALARM" if "ALARM" in severities else "WARN" if severities else "OK"
    return {"contextId": request["contextId"], "status": status, "violations": violations, "state": state}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warmup", type=int, default=10, help="contexts learned before judging")
    parser.add_argument("--k", type=float, default=4.0, help="deviation in standard deviations that is flagged")
    args = parser.parse_args()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        response = judge(request, request.get("state"), args.warmup, args.k)
        sys.stdout.write(json.dumps(response, separators=(",", ":")) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
