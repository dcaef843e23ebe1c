"""Score OCR text of a desk screenshot against the article it shows.

Reads tesseract's output on stdin; prints how many Arabic words it read are
words of the article (letters in the right order), and how many neighbouring
pairs of them stand in the article's word order. Reversed letters score low
on the first, words in the wrong order on the second. A hint, not a proof:
look at the screenshots.

    tesseract shot.png - -l ara | python3 scripts/ocr_verdict.py ARTICLE.txt
"""
import re
import sys


def fold(word):
    word = re.sub("[\u064b-\u065f\u0670\u0640]", "", word)
    for a, b in (("أإآٱ", "ا"), ("ة", "ه"), ("ى", "ي")):
        word = re.sub("[" + a + "]", b, word)
    return word


def arabic_words(text):
    return [fold(w) for w in re.findall("[\u0621-\u064a\u0671-\u06d3]+", text)]


def main():
    article = open(sys.argv[1], encoding="utf-8").read()
    words = arabic_words(article)
    known = set(words)
    pairs = set(zip(words, words[1:]))
    read = [w for w in arabic_words(sys.stdin.read()) if len(w) >= 3]
    if not read:
        print("no Arabic read")
        return
    hits = [w for w in read if w in known]
    ordered = sum(1 for a, b in zip(read, read[1:]) if (a, b) in pairs)
    print(
        f"words {len(hits)}/{len(read)} right ({100 * len(hits) // len(read)}%), "
        f"pairs in order {ordered}/{max(len(read) - 1, 1)}"
    )


if __name__ == "__main__":
    main()
