import sys


def main():
    data = sys.stdin.read().split()
    t = int(data[0])
    pos = 1
    for _ in range(t):
        n = int(data[pos])
        a = [int(x) for x in data[pos + 1:pos + 1 + n]]
        pos += 1 + n
        print(max(sum(a[l:r + 1]) for l in range(n) for r in range(l, n)))


main()
