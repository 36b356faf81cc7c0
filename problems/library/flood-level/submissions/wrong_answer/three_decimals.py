import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    v = int(data[1])
    h = sorted(map(int, data[2:2 + n]))
    pre = 0
    for k in range(1, n + 1):
        pre += h[k - 1]
        if k == n or v <= h[k] * k - pre:
            print("%.3f" % ((v + pre) / k))  # bug: too few digits
            return


main()
