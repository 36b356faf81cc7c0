import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = data[1:n + 1]
    first = [-1] * n  # first[r] = smallest i with (a_1 + ... + a_i) mod n == r
    first[0] = 0
    p = 0
    for i in range(1, n + 1):
        p = (p + int(a[i - 1])) % n
        j = first[p]
        if j >= 0:
            sys.stdout.write("%d\n%s\n" % (i - j, " ".join(map(str, range(j + 1, i + 1)))))
            return
        first[p] = i


main()
