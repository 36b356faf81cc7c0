import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    cnt = {}  # bug: shared by all test cases and never cleared
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
            if cnt.get(x, 0) == 0:
                distinct += 1
            cnt[x] = cnt.get(x, 0) + 1
            while distinct > k:
                y = a[left]
                cnt[y] -= 1
                if cnt[y] == 0:
                    distinct -= 1
                left += 1
            total += right - left + 1
        print(total)


main()
