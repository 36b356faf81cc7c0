import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = [int(x) for x in data[1:n + 1]]
    pre = [0] * (n + 1)
    for i in range(n):
        pre[i + 1] = pre[i] + a[i]
    # try every segment; one always exists, but this is O(n^2)
    for l in range(n):
        for r in range(l + 1, n + 1):
            if (pre[r] - pre[l]) % n == 0:
                print(r - l)
                print(" ".join(map(str, range(l + 1, r + 1))))
                return


main()
