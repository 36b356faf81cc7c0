import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    t = [int(x) for x in data[1:n + 1]]
    hi = 0  # bug: wrong when every reading is negative
    lo = t[0]
    for x in t:
        if x > hi:
            hi = x
        if x < lo:
            lo = x
    print(hi - lo)


main()
