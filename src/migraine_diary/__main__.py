"""python -m migraine_diary"""

from migraine_diary.cli.app import main

main()
