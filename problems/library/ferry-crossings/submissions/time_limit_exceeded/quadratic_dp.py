import sys

MOD = 10**9 + 7


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    s = int(data[1])
    a = list(map(int, data[2:2 + n]))
    dp = [0] * (n + 1)
    dp[0] = 1
    for i in range(1, n + 1):
        load = 0
        total = 0
        j = i
        # try every possible first car of the last trip: O(n^2) when s is large
        while j > 0:
            load += a[j - 1]
            if load > s:
                break
            total += dp[j - 1]
            j -= 1
        dp[i] = total % MOD
    print(dp[n])


main()
