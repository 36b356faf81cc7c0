# Climbs by powers of two: the highest floor known to be below the parcel, built bit by bit
# from the largest power down (at most 30 questions, one per bit).
n = int(input())
below = 0
for bit in range(29, -1, -1):
    k = below + (1 << bit)
    if k <= n:
        print("?", k, flush=True)
        reply = input()
        if reply == "=":
            below = k - 1
            break
        if reply == ">":
            below = k
print("!", below + 1, flush=True)
