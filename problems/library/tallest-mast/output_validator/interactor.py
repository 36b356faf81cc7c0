"""The harbour: knows the heights (the test's input: n, then n distinct heights), answers at
most n - 1 comparisons. Kattis protocol: argv = input answer feedback_dir; exit 42 accept,
43 reject."""

import os
import sys


def main() -> None:
    with open(sys.argv[1]) as f:
        n, *heights = map(int, f.read().split())
    feedback = sys.argv[3]
    tallest = heights.index(max(heights)) + 1

    def verdict(code: int, message: str) -> None:
        with open(os.path.join(feedback, "judgemessage.txt"), "w") as f:
            f.write(message + "\n")
        sys.exit(code)

    def berth(token: str) -> int:
        if not token.isdigit() or not 1 <= int(token) <= n:
            verdict(43, f"no berth {token[:20]!r} among 1..{n}")
        return int(token)

    print(n, flush=True)
    asked = 0
    while True:
        line = sys.stdin.readline()
        if not line:
            verdict(43, f"the program stopped before naming a berth, after {asked} comparisons")
        parts = line.split()
        if parts[:1] == ["!"] and len(parts) == 2:
            b = berth(parts[1])
            if b != tallest:
                verdict(43, f"named berth {b}, the tallest mast is at berth {tallest}")
            verdict(42, f"found berth {b} in {asked} comparisons")
        if parts[:1] != ["?"] or len(parts) != 3:
            verdict(43, f"cannot read {line.strip()[:40]!r}: want '? i j' or '! b'")
        i, j = berth(parts[1]), berth(parts[2])
        if i == j:
            verdict(43, f"compared berth {i} with itself")
        asked += 1
        if asked > n - 1:
            verdict(43, f"more than n - 1 = {n - 1} comparisons")
        print("<" if heights[i - 1] < heights[j - 1] else ">", flush=True)


main()
