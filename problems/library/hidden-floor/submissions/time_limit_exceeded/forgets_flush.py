# Never flushes: the questions stay in the program's buffer, and both sides wait.
import sys

n = int(sys.stdin.readline())
lo, hi = 1, n
while lo < hi:
    mid = (lo + hi) // 2
    sys.stdout.write(f"? {mid}\n")
    if sys.stdin.readline().strip() == ">":
        lo = mid + 1
    else:
        hi = mid
sys.stdout.write(f"! {lo}\n")
