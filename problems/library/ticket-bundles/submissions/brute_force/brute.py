import sys


def main():
    n, m, a, b = map(int, sys.stdin.read().split())
    # cost[i] = cheapest way to cover at least i rides
    cost = [0] * (n + 1)
    for i in range(1, n + 1):
        cost[i] = min(cost[i - 1] + a, cost[max(0, i - m)] + b)
    print(cost[n])


main()
