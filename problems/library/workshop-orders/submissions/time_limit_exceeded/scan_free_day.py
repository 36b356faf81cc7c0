import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    vals = list(map(int, data[1:1 + 2 * n]))
    orders = sorted(zip(vals[1::2], vals[0::2]), reverse=True)  # by payment, largest first
    busy = [False] * (n + 1)
    total = 0
    for p, d in orders:
        day = min(d, n)
        # walk back to the latest free day: O(n) per order in the worst case
        while day > 0 and busy[day]:
            day -= 1
        if day > 0:
            busy[day] = True
            total += p
    print(total)


main()
