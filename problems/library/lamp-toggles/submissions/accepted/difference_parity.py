import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    q = int(data[1])
    # flip[i] = 1 if the parity of the number of operations changes at lamp i
    flip = [0] * (n + 2)
    for i in range(q):
        l = int(data[2 + 2 * i])
        r = int(data[3 + 2 * i])
        flip[l] ^= 1
        flip[r + 1] ^= 1
    state = 0
    on = 0
    for i in range(1, n + 1):
        state ^= flip[i]
        on += state
    sys.stdout.write("%d\n" % on)


main()
