import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    vals = list(map(int, data[1:1 + 2 * n]))
    orders = sorted(zip(vals[0::2], vals[1::2]), key=lambda x: (x[0], -x[1]))
    # bug: greedily takes orders by deadline and never gives up an accepted one
    taken = 0
    total = 0
    for d, p in orders:
        if taken < d:
            taken += 1
            total += p
    print(total)


main()
