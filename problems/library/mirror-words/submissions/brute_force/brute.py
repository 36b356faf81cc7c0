import sys


def same_letter(x, y):
    # compare two letters ignoring case, without str.lower
    if "A" <= x <= "Z":
        x = chr(ord(x) - ord("A") + ord("a"))
    if "A" <= y <= "Z":
        y = chr(ord(y) - ord("A") + ord("a"))
    return x == y


def main():
    lines = sys.stdin.read().split("\n")
    n = int(lines[0])
    words = lines[1].split(" ")
    count = 0
    for i in range(n):
        word = words[i]
        k = len(word)
        if all(same_letter(word[j], word[k - 1 - j]) for j in range(k)):
            count += 1
    print(count)


main()
