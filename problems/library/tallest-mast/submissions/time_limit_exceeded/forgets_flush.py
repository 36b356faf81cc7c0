# Prints without flushing and reads with readline (input() would have flushed for it): the
# comparisons never leave the program's buffer, and both sides wait.
import sys

n = int(sys.stdin.readline())
best = 1
for i in range(2, n + 1):
    print("?", best, i)
    if sys.stdin.readline().strip() == "<":
        best = i
print("!", best)
