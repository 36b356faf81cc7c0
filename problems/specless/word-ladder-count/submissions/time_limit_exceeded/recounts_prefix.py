import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    words = data[1:n + 1]
    answer = 0
    for i in range(n):
        # correct, but counts the step ups among the first i + 1 words from scratch every time: O(n^2)
        count = 0
        for j in range(i):
            if len(words[j]) < len(words[j + 1]):
                count += 1
        answer = count
    print(answer)


main()
