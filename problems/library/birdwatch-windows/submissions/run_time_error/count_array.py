import sys

MAXV = 200000


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    cnt = [0] * (MAXV + 1)  # bug: assumes the species codes are at most 2*10^5
    out = []
    for _ in range(t):
        n = int(data[pos])
        k = int(data[pos + 1])
        a = [int(x) for x in data[pos + 2:pos + 2 + n]]
        pos += 2 + n
        distinct = 0
        left = 0
        total = 0
        for right in range(n):
            x = a[right]
            if cnt[x] == 0:
                distinct += 1
            cnt[x] += 1
            while distinct > k:
                y = a[left]
                cnt[y] -= 1
                if cnt[y] == 0:
                    distinct -= 1
                left += 1
            total += right - left + 1
        for i in range(left, n):
            cnt[a[i]] -= 1
        out.append(total)
    print("\n".join(map(str, out)))


main()
