# Binary search without using '=': the first floor k with the parcel not above k.
n = int(input())
lo, hi = 1, n
while lo < hi:
    mid = (lo + hi) // 2
    print(f"? {mid}", flush=True)
    if input() == ">":
        lo = mid + 1
    else:
        hi = mid
print(f"! {lo}", flush=True)
