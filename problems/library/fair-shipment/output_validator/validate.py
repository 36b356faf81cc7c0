"""Output validator for Fair Shipment (Kattis convention).

Usage: python3 validate.py input_file answer_file feedback_dir [flags...] < contestant_output
Exit 42 to accept, 43 to reject; the reason goes to feedback_dir/judgemessage.txt.
"""
import os
import re
import sys

INT_RE = re.compile(r"^[+-]?[0-9]{1,18}$")


def verdict(feedback_dir, code, message):
    try:
        with open(os.path.join(feedback_dir, "judgemessage.txt"), "a") as f:
            f.write(message + "\n")
    except OSError:
        pass
    sys.exit(code)


def main():
    if len(sys.argv) < 4:
        sys.stderr.write("usage: validate.py input answer feedback_dir < output\n")
        sys.exit(1)
    input_file, answer_file, feedback_dir = sys.argv[1], sys.argv[2], sys.argv[3]

    with open(input_file) as f:
        data = f.read().split()
    n = int(data[0])
    a = [int(x) for x in data[1:n + 1]]
    with open(answer_file) as f:
        judge = f.read().split()
    if not judge or int(judge[0]) < 1:
        verdict(feedback_dir, 1, "judge answer is malformed")

    raw = sys.stdin.buffer.read()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        verdict(feedback_dir, 43, "output is not ASCII text")
    tokens = text.split()
    if not tokens:
        verdict(feedback_dir, 43, "empty output")
    for t in tokens:
        if not INT_RE.match(t):
            verdict(feedback_dir, 43, "token %r is not an integer" % t[:30])
    k = int(tokens[0])
    if not 1 <= k <= n:
        verdict(feedback_dir, 43, "k = %d is not between 1 and n = %d" % (k, n))
    if len(tokens) != k + 1:
        verdict(feedback_dir, 43, "expected %d indices after k, found %d" % (k, len(tokens) - 1))
    seen = set()
    total = 0
    for t in tokens[1:]:
        idx = int(t)
        if not 1 <= idx <= n:
            verdict(feedback_dir, 43, "index %d is out of range 1..%d" % (idx, n))
        if idx in seen:
            verdict(feedback_dir, 43, "index %d is listed twice" % idx)
        seen.add(idx)
        total += a[idx - 1]
    if total % n != 0:
        verdict(feedback_dir, 43, "total %d is not divisible by n = %d" % (total, n))
    verdict(feedback_dir, 42, "ok")


if __name__ == "__main__":
    main()
