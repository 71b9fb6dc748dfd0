from xbuild.cli import main

main()
