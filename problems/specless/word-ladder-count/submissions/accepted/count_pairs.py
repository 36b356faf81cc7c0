import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    lengths = [len(word) for word in data[1:n + 1]]
    count = 0
    for i in range(n - 1):
        if lengths[i] < lengths[i + 1]:
            count += 1
    sys.stdout.write("%d\n" % count)


main()
