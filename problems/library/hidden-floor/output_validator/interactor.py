"""The concierge: knows the floor (the test's input holds `n x`), answers at most 30
questions. Kattis protocol: argv = input answer feedback_dir; exit 42 accept, 43 reject."""

import os
import sys

LIMIT = 30


def main() -> None:
    with open(sys.argv[1]) as f:
        n, x = map(int, f.read().split())
    feedback = sys.argv[3]

    def verdict(code: int, message: str) -> None:
        with open(os.path.join(feedback, "judgemessage.txt"), "w") as f:
            f.write(message + "\n")
        sys.exit(code)

    print(n, flush=True)
    asked = 0
    while True:
        line = sys.stdin.readline()
        if not line:
            verdict(43, f"the program stopped before naming the floor, after {asked} questions")
        parts = line.split()
        if len(parts) != 2 or parts[0] not in "?!" or not parts[1].lstrip("-").isdigit():
            verdict(43, f"cannot read {line.strip()[:40]!r}: want '? k' or '! x'")
        k = int(parts[1])
        if parts[0] == "!":
            if k != x:
                verdict(43, f"named floor {k}, the parcel is on floor {x}")
            verdict(42, f"found floor {x} in {asked} questions")
        asked += 1
        if asked > LIMIT:
            verdict(43, f"more than {LIMIT} questions")
        if not 1 <= k <= n:
            verdict(43, f"asked about floor {k}, outside 1..{n}")
        print("<" if x < k else ">" if x > k else "=", flush=True)


main()
