import sys

MOD = 10**9 + 7


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    s = int(data[1])
    a = list(map(int, data[2:2 + n]))
    q = [0] * (n + 2)
    q[1] = 1
    lo = 0
    cur = 0
    dp = 1
    for i in range(1, n + 1):
        cur += a[i - 1]
        # bug: keeps at least the last car in the window even if it alone is too heavy
        while cur > s and lo < i - 1:
            cur -= a[lo]
            lo += 1
        dp = (q[i] - q[lo]) % MOD
        q[i + 1] = (q[i] + dp) % MOD
    print(dp)


main()
