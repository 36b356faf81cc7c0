import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    words = data[1:n + 1]
    count = 0
    for i in range(n - 1):
        if len(words[i]) <= len(words[i + 1]):  # bug: two words of the same length are counted as a step up
            count += 1
    print(count)


main()
