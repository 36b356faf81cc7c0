import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    pre = []
    total = 0
    for x in data[2:2 + n]:
        total += int(x)
        pre.append(total)  # pre[i] = a_1 + ... + a_{i+1}, without a leading 0
    out = []
    pos = 2 + n
    for _ in range(q):
        l, r = int(data[pos]), int(data[pos + 1])
        pos += 2
        out.append(pre[r - 1] - pre[l - 2])  # bug: for l = 1, pre[-1] is the whole sum, not 0
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
