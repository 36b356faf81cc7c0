import sys
from itertools import accumulate


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    pre = [0]
    pre += accumulate(map(int, data[2:2 + n]))  # pre[i] = a_1 + ... + a_i
    ls = map(int, data[2 + n:2 + n + 2 * q:2])
    rs = map(int, data[3 + n:3 + n + 2 * q:2])
    out = [pre[r] - pre[l - 1] for l, r in zip(ls, rs)]
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
