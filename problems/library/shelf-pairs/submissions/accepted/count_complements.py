import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    k = int(data[1])
    seen = {}  # thickness -> how many books of it came earlier
    pairs = 0
    for i in range(2, n + 2):
        x = int(data[i])
        # every earlier book of thickness k - x pairs with this one
        pairs += seen.get(k - x, 0)
        seen[x] = seen.get(x, 0) + 1
    sys.stdout.write("%d\n" % pairs)


main()
