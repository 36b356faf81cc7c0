import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    v = int(data[1])
    h = sorted(map(int, data[2:2 + n]))
    for k in range(1, n + 1):
        # recompute the volume needed to reach the next floor from scratch: O(n^2)
        if k < n:
            need = 0
            for i in range(k):
                need += h[k] - h[i]
            if v > need:
                continue
        pre = 0
        for i in range(k):
            pre += h[i]
        print("%.9f" % ((v + pre) / k))
        return


main()
