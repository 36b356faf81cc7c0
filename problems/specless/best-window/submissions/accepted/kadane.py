import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        a = list(map(int, data[pos + 1:pos + 1 + n]))
        pos += 1 + n
        best = cur = a[0]  # cur: the best sum of a window ending at the current day
        for x in a[1:]:
            if cur < 0:
                cur = x
            else:
                cur += x
            if cur > best:
                best = cur
        out.append(best)
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
