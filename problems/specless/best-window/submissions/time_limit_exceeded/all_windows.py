import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        a = list(map(int, data[pos + 1:pos + 1 + n]))
        pos += 1 + n
        best = a[0]
        for l in range(n):  # correct, but tries every window: O(n^2) on a long case
            s = 0
            for r in range(l, n):
                s += a[r]
                if s > best:
                    best = s
        out.append(best)
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
