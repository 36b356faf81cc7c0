import sys


def main():
    data = sys.stdin.read().split()
    n = int(data[0])
    v = int(data[1])
    h = [int(x) for x in data[2:2 + n]]

    def volume(level):
        return sum(max(0.0, level - x) for x in h)

    lo = float(min(h))
    hi = float(max(h) + v)
    for _ in range(300):
        mid = (lo + hi) / 2
        if volume(mid) < v:
            lo = mid
        else:
            hi = mid
    print("%.9f" % ((lo + hi) / 2))


main()
