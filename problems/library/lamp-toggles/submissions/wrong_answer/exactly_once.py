import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    q = int(data[1])
    delta = [0] * (n + 2)
    for i in range(q):
        l = int(data[2 + 2 * i])
        r = int(data[3 + 2 * i])
        delta[l] += 1
        delta[r + 1] -= 1
    covered = 0
    on = 0
    for i in range(1, n + 1):
        covered += delta[i]
        # bug: a lamp toggled three times is on too, not only one toggled once
        if covered == 1:
            on += 1
    print(on)


main()
