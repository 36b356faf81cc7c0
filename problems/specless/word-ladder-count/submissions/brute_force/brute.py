import sys


def letters(word):
    # count the letters one by one
    k = 0
    for _ in word:
        k += 1
    return k


def main():
    lines = sys.stdin.read().split("\n")
    n = int(lines[0])
    words = lines[1].split(" ")
    count = 0
    for i in range(n):
        for j in range(n):
            if j == i + 1 and letters(words[i]) < letters(words[j]):
                count += 1
    print(count)


main()
