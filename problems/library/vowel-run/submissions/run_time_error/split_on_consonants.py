import re
import sys


def main():
    s = sys.stdin.readline().strip()
    blocks = [b for b in re.split("[^aeiou]+", s) if b]
    # max() of an empty list raises ValueError when there is no vowel
    print(max(len(b) for b in blocks))


main()
