import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        k = int(data[pos + 1])
        a = [int(x) for x in data[pos + 2:pos + 2 + n]]
        pos += 2 + n
        total = 0
        for l in range(n):
            seen = set()
            for r in range(l, n):
                seen.add(a[r])
                if len(seen) > k:
                    break
                total += 1
        out.append(total)
    print("\n".join(map(str, out)))


main()
