import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    words = data[1:n + 1]
    prev = len(words[0])
    cur = len(words[1])  # bug: IndexError when the line has a single word
    count = 1 if prev < cur else 0
    for i in range(2, n):
        prev, cur = cur, len(words[i])
        if prev < cur:
            count += 1
    print(count)


main()
