import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    t = [int(x) for x in data[1:n + 1]]
    # bug: assumes at least two readings (IndexError when n = 1)
    hi = max(t[0], t[1])
    lo = min(t[0], t[1])
    for x in t[2:]:
        if x > hi:
            hi = x
        if x < lo:
            lo = x
    print(hi - lo)


main()
