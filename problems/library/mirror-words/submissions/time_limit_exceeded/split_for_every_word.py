import sys


def main():
    lines = sys.stdin.read().split("\n")
    n = int(lines[0])
    sentence = lines[1].lower()
    count = 0
    for i in range(n):
        # correct, but splits the whole sentence again for every word: O(n * length)
        word = sentence.split(" ")[i]
        if word == word[::-1]:
            count += 1
    print(count)


main()
