import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    v = int(data[1])
    h = sorted(map(int, data[2:2 + n]))
    i = 0
    pre = h[0]
    # bug: never stops when the water rises above every floor (h[i + 1] runs off the end)
    while v > (i + 1) * h[i + 1] - pre:
        i += 1
        pre += h[i]
    print("%.9f" % ((v + pre) / (i + 1)))


main()
