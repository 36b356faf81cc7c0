import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        k = int(data[pos + 1])
        a = list(map(int, data[pos + 2:pos + 2 + n]))
        pos += 2 + n
        cnt = {}
        distinct = 0
        left = 0
        total = 0
        for right in range(n):
            x = a[right]
            c = cnt.get(x, 0)
            if c == 0:
                distinct += 1
            cnt[x] = c + 1
            while distinct > k:
                y = a[left]
                cy = cnt[y] - 1
                cnt[y] = cy
                if cy == 0:
                    distinct -= 1
                left += 1
            total += right - left + 1
        out.append(total)
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
