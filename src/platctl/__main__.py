from platctl.cli.entry import main

main()
