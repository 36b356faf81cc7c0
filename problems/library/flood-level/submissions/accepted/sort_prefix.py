import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    v = int(data[1])
    h = sorted(map(int, data[2:2 + n]))
    pre = 0
    for k in range(1, n + 1):
        pre += h[k - 1]
        # the k lowest basins are wet; the level stays below the next floor
        if k == n or v <= h[k] * k - pre:
            sys.stdout.write("%.9f\n" % ((v + pre) / k))
            return


main()
