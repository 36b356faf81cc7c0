import sys

MOD = 10**9 + 7


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    s = int(data[1])
    a = list(map(int, data[2:2 + n]))
    # dp[i] = ways to ship the first i cars; q[i] = dp[0] + ... + dp[i-1]
    q = [0] * (n + 2)
    q[1] = 1  # dp[0] = 1
    lo = 0
    cur = 0
    dp = 1
    for i in range(1, n + 1):
        cur += a[i - 1]
        while cur > s:
            cur -= a[lo]
            lo += 1
        # the last trip carries cars lo+1..i, lo+2..i, ..., i
        dp = (q[i] - q[lo]) % MOD
        q[i + 1] = (q[i] + dp) % MOD
    print(dp)


main()
