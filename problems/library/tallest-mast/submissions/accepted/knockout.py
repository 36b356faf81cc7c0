# A knockout tournament: pairs of survivors meet until one is left (n - 1 comparisons).
import sys

n = int(sys.stdin.readline())
alive = list(range(1, n + 1))
while len(alive) > 1:
    winners = []
    for a, b in zip(alive[::2], alive[1::2]):
        sys.stdout.write(f"? {a} {b}\n")
        sys.stdout.flush()
        winners.append(b if sys.stdin.readline().strip() == "<" else a)
    if len(alive) % 2:
        winners.append(alive[-1])
    alive = winners
print(f"! {alive[0]}", flush=True)
