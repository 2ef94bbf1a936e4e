"""python -m migraine_diary"""

from migraine_diary.cli import main

main()
