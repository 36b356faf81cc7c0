import sys

sys.setrecursionlimit(10000)


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = [int(x) for x in data[1:n + 1]]
    first = [-1] * n

    def scan(i, p):
        # p is the prefix sum of the first i crates, modulo n
        if first[p] >= 0:
            return first[p], i
        first[p] = i
        return scan(i + 1, (p + a[i]) % n)

    j, i = scan(0, 0)
    print(i - j)
    print(" ".join(map(str, range(j + 1, i + 1))))


main()
