"""Run every benchmark and print one table; exit 1 if any budget is broken (`--quick`: smoke run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["startup", "daemon_idle", "push", "phone", "punctuality", "reaction", "buttons", "plan_compute", "report"]


def main() -> int:
    rows, failed = [], False
    for name in BENCHMARKS:
        done = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *sys.argv[1:]], capture_output=True, text=True)
        results = [json.loads(line[7:]) for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if not results:
            rows.append((name, "did not run", "", "FAILED", (done.stderr.strip().splitlines() or [""])[-1]))
            failed = True
        for r in results:
            rows.append(
                (
                    r["name"],
                    f"{r['value']:.3g} {r['unit']}",
                    f"{r['budget']:g} {r['unit']}",
                    "ok" if r["ok"] else "OVER",
                    r["detail"],
                )
            )
            failed |= not r["ok"]
    widths = [max(len(str(row[i])) for row in [*rows, ("what", "measured", "budget", "", "")]) for i in range(4)]
    print("  ".join(h.ljust(w) for h, w in zip(("what", "measured", "budget", ""), widths, strict=True)) + "  detail")
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row[:4], widths, strict=True)) + "  " + row[4])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
