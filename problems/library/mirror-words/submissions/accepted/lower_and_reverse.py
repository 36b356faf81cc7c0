import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    count = 0
    for word in data[1:n + 1]:
        low = word.lower()
        if low == low[::-1]:
            count += 1
    sys.stdout.write("%d\n" % count)


main()
