import sys


def is_mirror(word, i, j):
    if i >= j:
        return True
    return word[i] == word[j] and is_mirror(word, i + 1, j - 1)


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    count = 0
    for word in data[1:n + 1]:
        # bug: one call per pair of letters: RecursionError on a long mirror word
        if is_mirror(word.lower(), 0, len(word) - 1):
            count += 1
    print(count)


main()
