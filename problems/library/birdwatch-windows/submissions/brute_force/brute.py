import sys


def main():
    data = sys.stdin.read().split()
    t = int(data[0])
    pos = 1
    for _ in range(t):
        n, k = int(data[pos]), int(data[pos + 1])
        a = [int(x) for x in data[pos + 2:pos + 2 + n]]
        pos += 2 + n
        count = 0
        for l in range(n):
            for r in range(l, n):
                if len(set(a[l:r + 1])) <= k:
                    count += 1
        print(count)


main()
