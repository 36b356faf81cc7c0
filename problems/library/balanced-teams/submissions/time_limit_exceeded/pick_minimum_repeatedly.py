import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        rest = [int(x) for x in data[pos + 1:pos + 1 + n]]
        pos += 1 + n
        # correct, but finds the middle players by removing the minimum again and
        # again: O(n^2)
        low = []
        for _ in range((n + 1) // 2 + 1):
            if not rest:
                break
            x = min(rest)
            rest.remove(x)
            low.append(x)
        k = n // 2
        best = low[k] - low[k - 1]
        k = (n + 1) // 2
        if k < len(low) and low[k] - low[k - 1] < best:
            best = low[k] - low[k - 1]
        out.append(best)
    print("\n".join(map(str, out)))


main()
