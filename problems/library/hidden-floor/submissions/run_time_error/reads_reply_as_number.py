n = int(input())
lo, hi = 1, n
while lo < hi:
    mid = (lo + hi) // 2
    print(f"? {mid}", flush=True)
    if int(input()) > 0:  # the reply is '<', '>' or '='
        lo = mid + 1
    else:
        hi = mid
print(f"! {lo}", flush=True)
