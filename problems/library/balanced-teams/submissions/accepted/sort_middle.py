import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        s = sorted(map(int, data[pos + 1:pos + 1 + n]))
        pos += 1 + n
        # Some split with Reds = the k weakest players is optimal, k = n // 2 or
        # (n + 1) // 2; its gap is s[k] - s[k - 1] (0-indexed, sorted).
        best = s[n // 2] - s[n // 2 - 1]
        k = (n + 1) // 2
        if s[k] - s[k - 1] < best:
            best = s[k] - s[k - 1]
        out.append(best)
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
