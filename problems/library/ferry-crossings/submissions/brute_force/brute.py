import sys


def main():
    data = sys.stdin.read().split()
    n, s = int(data[0]), int(data[1])
    a = [int(x) for x in data[2:2 + n]]
    ways = 0
    for mask in range(1 << (n - 1)):
        # bit i set: a trip ends after car i+1
        ok = True
        load = 0
        for i in range(n):
            load += a[i]
            if load > s:
                ok = False
                break
            if i == n - 1 or mask >> i & 1:
                load = 0
        if ok:
            ways += 1
    print(ways % (10**9 + 7))


main()
